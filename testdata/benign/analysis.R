# Fit inside the environment; export only the summary table.
library(rpart)
df <- readRDS("/data/project/extract.rds")
fit <- lm(income ~ age + region, data = df)
saveRDS(fit, "/data/project/work/fit.rds")   # stays inside: model objects are not exported
save(fit, file = "/data/project/work/fit.RData")
tab <- as.data.frame(table(df$region, df$sex))
names(tab) <- c("region", "sex", "n")
write.csv(tab, "outputs/region_by_sex.csv", row.names = FALSE)

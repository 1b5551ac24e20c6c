data.dir <- "/data/project/work"
fit <- glm(employed ~ age + region, data = extract, family = binomial)
# The model stays inside the environment; only the table below is requested.
saveRDS(fit, file.path(data.dir, "fit.rds"))
tab <- as.data.frame(table(extract$region))
write.csv(tab, "outputs/region_counts.csv", row.names = FALSE)

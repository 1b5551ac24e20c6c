# make-outputs.R - tables as R users write them into text, Markdown,
# LaTeX and HTML outputs (print(), summary(), quantile(), knitr::kable).
# Each output's expected verdict is worked out from the counts below in
# EXPECTED.tsv. Run from the repository root:
#     Rscript testdata/outputs/make-outputs.R
# (r-base-core, r-cran-knitr; deterministic: no random numbers.)
suppressMessages(library(knitr))
out <- "testdata/outputs"
to <- function(name, expr) {
  con <- file(file.path(out, name), open = "w")
  sink(con)
  on.exit({ sink(); close(con) })
  expr
  invisible(NULL)
}

# Respondents by region and sex: North has 3 women and 40 men.
region <- factor(rep(c("North", "North East", "South"), c(43, 25, 52)))
sex <- factor(c(rep(c("F", "M"), c(3, 40)), rep(c("F", "M"), c(12, 13)),
                rep(c("F", "M"), c(22, 30))))
tab <- table(region, sex)
# A safe table: every cell 10 or more, no category 90% of its row.
region2 <- factor(rep(c("East", "West"), c(50, 60)))
sex2 <- factor(c(rep(c("F", "M"), c(20, 30)), rep(c("F", "M"), c(35, 25))))
safe <- table(region = region2, sex = sex2)
safe_long <- as.data.frame(safe)

to("r_print_table.txt", {
  cat("Table 1: Respondents by region and sex, 2023\n\n")
  print(tab)
})
to("r_addmargins_safe.txt", {
  cat("Table 2: Respondents by region and sex, with totals\n\n")
  print(addmargins(safe))
  cat("\nSource: synthetic survey\n")
})
to("r_table_oneway.txt", print(table(region)))
to("r_ftable.txt", print(ftable(tab)))
to("r_print_df.txt", print(as.data.frame(tab)))

# Incomes of 12 people: summary() and quantile() publish the smallest
# and the largest (0% and 100% are the minimum and maximum).
income <- c(12100, 34500, 22200, 51000, 44400, 33300, 28800, 40000, 39900,
            11000, 25500, 36600)
to("r_summary.txt", print(summary(income)))
to("r_quantile.txt", print(quantile(income)))

to("r_kable.md", {
  cat("## Table 3: respondents by region and sex\n\n")
  cat(kable(safe_long, format = "pipe"), sep = "\n")
  cat("\nNote: counts of respondents.\n")
})
to("r_kable_small.md", {
  cat("# Results\n\n")
  cat("The survey reached fewer women in the North than elsewhere, as the\n")
  cat("table below shows; the response rate was lowest there.\n\n")
  cat(kable(as.data.frame(tab), format = "pipe"), sep = "\n")
})
to("r_kable_prose.md", {
  cat("# Results\n\n")
  cat("Response was similar in both regions, and the balance of women and\n")
  cat("men did not differ much between them.\n\n")
  cat(kable(safe_long, format = "pipe"), sep = "\n")
})
to("r_kable.tex", {
  cat("\\begin{table}\n\\centering\n\\caption{Respondents by region and sex}\n")
  cat(kable(safe_long, format = "latex", booktabs = TRUE), sep = "\n")
  cat("\\end{table}\n")
})
to("r_kable.html", cat(kable(as.data.frame(tab), format = "html"), sep = "\n"))

# Regressions published without df or N (broom::tidy, R's coefficient
# matrix): the residual df are n - 2 for a line through n points, 8 for
# 10 points (below the threshold of 10) and 10 for 12.
x <- c(1.2, 3.4, 2.2, 5.1, 4.4, 3.3, 2.8, 4.0, 3.9, 1.1, 2.5, 3.6)
e <- c(0.1, -0.2, 0.3, 0.1, -0.1, 0.2, -0.3, 0.1, 0.0, 0.2, -0.1, 0.1)
y <- 2 * x + e
fit10 <- lm(y ~ x, data = data.frame(x = x[1:10], y = y[1:10]))
fit12 <- lm(y ~ x)
suppressMessages(library(broom))
write.csv(tidy(fit10, conf.int = TRUE), file.path(out, "r_tidy_df8.csv"), row.names = FALSE)
write.csv(tidy(fit12, conf.int = TRUE), file.path(out, "r_tidy_df10.csv"), row.names = FALSE)
ci <- tidy(fit10, conf.int = TRUE)[, c("term", "estimate", "std.error", "conf.low", "conf.high")]
write.csv(ci, file.path(out, "r_tidy_ci_only_df8.csv"), row.names = FALSE)
write.csv(summary(fit10)$coefficients, file.path(out, "r_coef_matrix_df8.csv"))
# A logistic regression on 10 records: Wald z statistics carry no df.
g <- glm(c(0, 1, 0, 1, 1, 0, 1, 1, 0, 1) ~ x[1:10], family = binomial)
write.csv(tidy(g), file.path(out, "r_glm_z.csv"), row.names = FALSE)

# Statistics as rows: sapply(df, summary) gives Min., 1st Qu., Median,
# Mean, 3rd Qu., Max. as rows and one column per variable.
ages <- c(23, 35, 41, 52, 38, 29, 61, 47, 33, 56, 44, 39)
write.csv(sapply(data.frame(age = ages, income = income), summary),
          file.path(out, "r_sapply_summary.csv"))
# A janitor-style crosstab (adorn_percentages + adorn_ns: "52.9% (9)"),
# written with sprintf since janitor is not packaged for Debian: North
# has 9 women and 8 men.
f_n <- c(9, 40); m_n <- c(8, 40)
pct <- function(a, b) sprintf("%.1f%% (%d)", 100 * a / (a + b), a)
write.csv(data.frame(region = c("North", "South"), Female = pct(f_n, m_n),
                     Male = pct(m_n, f_n), check.names = FALSE),
          file.path(out, "r_janitor_style.csv"), row.names = FALSE)

# summary() of models printed into a log: the residual df are stated
# ("on 8 degrees of freedom"): 10 points, 2 coefficients.
to("r_lm_summary_df8.txt", print(summary(fit10)))

# R objects saved with saveRDS() and save(): what they are is their class
# attribute, read from R's serialisation (R Internals 1.8). A data frame
# whose column is called "coefficients" is still data; a kmeans fit, whose
# first bytes name no model word, is still a fitted model.
saveRDS(fit10, file.path(out, "r_lm.rds"))
saveRDS(glm(c(0, 1, 0, 1, 1, 0, 1, 1, 0, 1) ~ x[1:10], family = binomial),
        file.path(out, "r_glm.rds"))
suppressMessages(library(rpart))
saveRDS(rpart(Species ~ ., iris), file.path(out, "r_rpart.rds"))
saveRDS(data.frame(term = c("a", "b"), coefficients = c(1.5, 2.5)),
        file.path(out, "r_df_named_coefficients.rds"))
set.seed(1)
saveRDS(kmeans(matrix(c(1, 2, 3, 10, 11, 12), ncol = 1), 2), file.path(out, "r_kmeans.rds"))
cars_df <- cars
save(fit10, cars_df, file = file.path(out, "r_both.RData"))

# summary() of a data frame prints a character table: a factor's levels
# with their counts ("North: 3"), a number's Min. ... Max., a character
# column's Length/Class/Mode. North has 3 respondents.
sdf <- data.frame(region = factor(rep(c("North", "South", "East"), c(3, 40, 12))),
                  sex = factor(rep(c("F", "M"), length.out = 55)),
                  income = round(seq(1200, 81000, length.out = 55)))
to("r_summary_df.txt", print(summary(sdf)))

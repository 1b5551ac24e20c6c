# make-tables.R - test tables written the way R users write them.
#
# Run from the repository root:   Rscript testdata/make-tables.R
# Writes into testdata/generated/ (the outputs are committed, so the tests
# never need R). Base R only; deterministic: every frequency table is built
# from counts fixed below (the records are then shuffled with a fixed seed,
# which cannot change a count), and the few random values (incomes, model
# data) come from set.seed() with R's default Mersenne-Twister generator.
#
# Files (what sdccheck should find is in testdata/generated/README.md):
#
#   r_table_region_sex.csv    write.csv(addmargins(table(region, sex))):
#                             wide crosstab, R's quoted header with an empty
#                             "" row-names column, "Sum" margins. Safe.
#   r_table_age_ethnicity.csv write.csv(table(age_band, ethnicity)), no
#                             margins: small counts and one zero. Unsafe.
#   r_xtabs_long.csv          as.data.frame(xtabs(~ region + sex + age_group))
#                             written with row.names = FALSE: a long table
#                             with R's "Freq" column; two small counts.
#   r_aggregate_income.csv    aggregate(income ~ region, FUN = c(n, mean,
#                             max)): R flattens the matrix column into
#                             income.n / income.mean / income.max, and
#                             write.csv adds the "" column of row numbers
#                             1..k. One region has n = 8; max is published.
#   r_aggregate_turnover.csv  aggregate() of firms' turnover by SIC section
#                             with n, sum and the two largest contributions
#                             (turnover.n, turnover.sum, turnover.max1,
#                             turnover.max2): one section dominated by one
#                             firm, one by two firms, one with n = 4.
#   r_summary_stats.csv       per-occupation n, mean, sd, median, min, max,
#                             mode of weekly hours (a dplyr::summarise-style
#                             table built in base R): every statistics rule.
#   r_write_csv2.csv          write.csv2(): ';' separated, decimal comma,
#                             counts with means and percentages. Safe.
#   r_lm_coefficients.csv     summary(lm(...))$coefficients with a df_resid
#                             column, written with write.csv: R's own header
#                             names "Estimate","Std. Error","t value",
#                             "Pr(>|t|)". 200 records: safe.
#   r_lm_small_model.csv      a broom::tidy()-shaped table (term, estimate,
#                             std.error, statistic, p.value, df.residual) of
#                             a model fitted on 9 records: df.residual = 6.
#   r_lm_no_df.csv            summary(lm(...))$coefficients alone: no df
#                             column; t and p imply the 197 residual df.
#   r_microdata.csv           a record-level data frame (200 rows, unique id,
#                             postcode, visit date) written with write.csv:
#                             microdata, must fail.
#   r_with_na.csv             region x sex long table whose mean_income is NA
#                             where a group had a missing income (mean()
#                             without na.rm), as R writes it: bare NA.

out_dir <- file.path("testdata", "generated")
if (!dir.exists(out_dir)) dir.create(out_dir, recursive = TRUE)
out <- function(name) file.path(out_dir, name)

# Expands a matrix of counts (dimnames = categories) into one record per
# counted unit, shuffled, so that table() has to do real work.
records_from_counts <- function(counts, row_var, col_var) {
    rows <- rep(rep(rownames(counts), times = ncol(counts)), times = as.vector(counts))
    cols <- rep(rep(colnames(counts), each = nrow(counts)), times = as.vector(counts))
    d <- data.frame(rows, cols, stringsAsFactors = FALSE)
    names(d) <- c(row_var, col_var)
    d[[row_var]] <- factor(d[[row_var]], levels = rownames(counts))
    d[[col_var]] <- factor(d[[col_var]], levels = colnames(counts))
    d[sample.int(nrow(d)), , drop = FALSE]
}

set.seed(20240601)

# ---- r_table_region_sex.csv: safe wide crosstab with Sum margins --------
regions <- c("North East", "North West", "Yorkshire and The Humber",
             "East Midlands", "West Midlands", "East of England", "London",
             "South East", "South West")
region_sex <- matrix(c(112, 298, 221, 187, 240, 256, 371, 382, 230,
                       104, 281, 215, 179, 233, 249, 362, 365, 219),
                     ncol = 2, dimnames = list(regions, c("Female", "Male")))
people <- records_from_counts(region_sex, "region", "sex")
write.csv(addmargins(table(people$region, people$sex)), out("r_table_region_sex.csv"))

# ---- r_table_age_ethnicity.csv: small counts and a zero ------------------
age_eth <- matrix(c(120, 180, 210, 190, 200,    # White
                     14,  11,   6,   3,   0,    # Mixed
                     31,  45,  52,  27,  14,    # Asian
                     22,  28,  30,  18,  11,    # Black
                      9,  12,  15,  10,   4),   # Other
                  ncol = 5,
                  dimnames = list(c("16-24", "25-34", "35-49", "50-64", "65+"),
                                  c("White", "Mixed", "Asian", "Black", "Other")))
survey <- records_from_counts(age_eth, "age_band", "ethnicity")
write.csv(table(survey$age_band, survey$ethnicity), out("r_table_age_ethnicity.csv"))

# ---- r_xtabs_long.csv: xtabs -> as.data.frame long table -----------------
# Freq by region x sex x age_group; the 7 and the 4 are below 10.
xt_counts <- expand.grid(region = c("Wales", "Scotland", "Northern Ireland"),
                         sex = c("Female", "Male"),
                         age_group = c("16-39", "40-64", "65+"),
                         stringsAsFactors = FALSE)
xt_counts$Freq <- c(64, 58, 31,  61, 55, 29,
                    72, 66, 35,  70, 63, 33,
                    41, 37,  7,  36, 30,  4)
xt_records <- xt_counts[rep(seq_len(nrow(xt_counts)), xt_counts$Freq), 1:3]
xt_records <- xt_records[sample.int(nrow(xt_records)), ]
for (v in names(xt_records)) xt_records[[v]] <- factor(xt_records[[v]], levels = unique(xt_counts[[v]]))
write.csv(as.data.frame(xtabs(~ region + sex + age_group, data = xt_records)),
          out("r_xtabs_long.csv"), row.names = FALSE)

# ---- r_aggregate_income.csv: n / mean / max by region --------------------
inc_n <- c("North East" = 48, "North West" = 35, "London" = 27, "Isle of Wight" = 8,
           "South West" = 52)
incomes <- data.frame(region = rep(names(inc_n), inc_n),
                      income = round(rlnorm(sum(inc_n), meanlog = 10.2, sdlog = 0.5), -1))
write.csv(aggregate(income ~ region, data = incomes,
                    FUN = function(x) c(n = length(x), mean = round(mean(x)), max = max(x))),
          out("r_aggregate_income.csv"))

# ---- r_aggregate_turnover.csv: magnitude table with dominance evidence --
# Turnover in GBP thousands of the firms in each SIC 2007 section.
firms <- rbind(
    # safe: 25 firms of similar size
    data.frame(sic_section = "C Manufacturing", turnover = round(rlnorm(25, 7, 0.6))),
    # one firm holds ~97% of the section: nk-rule and p-ratio
    data.frame(sic_section = "D Electricity and gas",
               turnover = c(48500, 120, 95, 160, 140, 88, 130, 105, 99, 150, 115, 102)),
    # two similar giants hold 92% together: nk-rule, but p-ratio passes
    data.frame(sic_section = "B Mining and quarrying",
               turnover = c(23000, 22500, 410, 380, 520, 450, 390, 470, 360, 430, 400)),
    # only 4 firms: threshold (no single one dominates)
    data.frame(sic_section = "U Extraterritorial organisations",
               turnover = c(820, 760, 700, 650)),
    # safe: 40 firms
    data.frame(sic_section = "G Wholesale and retail", turnover = round(rlnorm(40, 6.5, 0.7))),
    # safe: 18 firms
    data.frame(sic_section = "J Information and communication",
               turnover = round(rlnorm(18, 6.8, 0.5))))
top <- function(x, k) sort(x, decreasing = TRUE)[k]
write.csv(aggregate(turnover ~ sic_section, data = firms,
                    FUN = function(x) c(n = length(x), sum = sum(x),
                                        max1 = top(x, 1), max2 = top(x, 2))),
          out("r_aggregate_turnover.csv"), row.names = FALSE)

# ---- r_summary_stats.csv: weekly hours by occupation ----------------------
stat_mode <- function(x) { u <- unique(x); u[which.max(tabulate(match(x, u)))] }
hours <- list(
    "Professional"        = round(rnorm(40, 38, 6), 1),
    "Skilled trades"      = round(rnorm(25, 42, 5), 1),
    "Armed forces"        = c(45, 50, 38.5, 60, 41, 44),   # n = 6
    "Contracted cleaners" = rep(37.5, 12))                 # all the same
summary_stats <- do.call(rbind, lapply(names(hours), function(occ) {
    x <- hours[[occ]]
    data.frame(occupation = occ, n = length(x), mean = round(mean(x), 2),
               sd = round(sd(x), 2), median = median(x), min = min(x), max = max(x),
               mode = stat_mode(x))
}))
write.csv(summary_stats, out("r_summary_stats.csv"), row.names = FALSE)

# ---- r_write_csv2.csv: semicolons and decimal commas ---------------------
write.csv2(data.frame(region = c("North East", "North West", "London", "South East", "South West"),
                      n = c(120L, 342L, 512L, 468L, 251L),
                      mean_hours = c(36.4, 35.9, 38.2, 36.8, 34.7),
                      pct_part_time = c(22.5, 24.1, 18.7, 25.3, 27.9)),
           out("r_write_csv2.csv"), row.names = FALSE)

# ---- regression tables ------------------------------------------------------
n_obs <- 200
model_data <- data.frame(age = sample(18:75, n_obs, replace = TRUE),
                         sex = factor(sample(c("Female", "Male"), n_obs, replace = TRUE)))
model_data$income <- round(15000 + 420 * model_data$age +
                           2500 * (model_data$sex == "Male") + rnorm(n_obs, 0, 6000))
fit <- lm(income ~ age + sex, data = model_data)
write.csv(cbind(summary(fit)$coefficients, df_resid = fit$df.residual),
          out("r_lm_coefficients.csv"))
write.csv(summary(fit)$coefficients, out("r_lm_no_df.csv"))

small <- model_data[1:9, ]
small_fit <- lm(income ~ age + sex, data = small)
co <- summary(small_fit)$coefficients
write.csv(data.frame(term = rownames(co), estimate = co[, 1], std.error = co[, 2],
                     statistic = co[, 3], p.value = co[, 4],
                     df.residual = small_fit$df.residual),
          out("r_lm_small_model.csv"), row.names = FALSE)

# ---- r_microdata.csv: record-level data (must fail as microdata) --------
n_rec <- 200
letters2 <- function(k) paste0(sample(LETTERS[-c(9, 15, 17, 22, 26)], k, replace = TRUE),
                                sample(LETTERS[-c(9, 15, 17, 22, 26)], k, replace = TRUE))
outward <- sample(c("LS6", "LS2", "M14", "M20", "NE6", "B29", "CF24", "BS7", "SE15", "EH9"),
                  n_rec, replace = TRUE)
microdata <- data.frame(
    id = 100000L + seq_len(n_rec),
    region = sample(regions, n_rec, replace = TRUE),
    sex = sample(c("Female", "Male"), n_rec, replace = TRUE),
    age = sample(18:90, n_rec, replace = TRUE),
    income = round(rlnorm(n_rec, 10.1, 0.6), -1),
    visit_date = format(as.Date("2023-01-01") + sample(0:364, n_rec, replace = TRUE)),
    postcode = paste0(outward, " ", sample(1:9, n_rec, replace = TRUE), letters2(n_rec)))
write.csv(microdata, out("r_microdata.csv"), row.names = FALSE)

# ---- r_with_na.csv: NA where a group had a missing income ---------------
na_groups <- expand.grid(sex = c("Female", "Male"),
                         region = c("Wales", "Scotland", "Northern Ireland"),
                         stringsAsFactors = FALSE)[, 2:1]
na_groups$n <- c(84L, 79L, 121L, 115L, 46L, 41L)
na_groups$mean_income <- sapply(seq_len(nrow(na_groups)), function(i) {
    x <- round(rlnorm(na_groups$n[i], 10.2, 0.5), -1)
    if (i %in% c(2, 5)) x[3] <- NA   # a survey non-response
    round(mean(x))
})
write.csv(na_groups, out("r_with_na.csv"), row.names = FALSE)

cat("wrote", length(list.files(out_dir, pattern = "^r_.*\\.csv$")), "R tables to", out_dir, "\n")

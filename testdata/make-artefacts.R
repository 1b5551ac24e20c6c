# make-artefacts.R - the R half of the model / data-file test artefacts.
#
#   Rscript testdata/make-artefacts.R ROWS.tsv      (from the repository root)
#
# Normally run by testdata/make-artefacts.sh, which then runs
# make-artefacts.py; that script merges ROWS.tsv (one manifest row per file
# written here) into testdata/artefacts/MANIFEST.tsv.
#
# Needs Debian's r-base-core, r-cran-rpart, r-cran-randomforest and
# r-cran-haven. CI does not run it: the results are committed.
#
# Every file here is written by the real R function named in the manifest
# (saveRDS, save, haven::write_*). Seeds are fixed. The .dta, .sav and
# .sas7bdat headers carry the time of writing (ReadStat puts it there); the
# driver runs this script under faketime when it is installed so that a
# re-run gives the same bytes.

args <- commandArgs(trailingOnly = TRUE)
rows_file <- if (length(args) >= 1) args[[1]] else "artefacts-r-rows.tsv"

suppressPackageStartupMessages({
  library(rpart)
  library(randomForest)
  library(haven)
})

root <- "testdata/artefacts"
dir.create(file.path(root, "models"), recursive = TRUE, showWarnings = FALSE)
dir.create(file.path(root, "data"), recursive = TRUE, showWarnings = FALSE)

rver <- paste0("R ", R.version$major, ".", R.version$minor)
pver <- function(p) paste0(p, " ", as.character(packageVersion(p)))

rows <- character(0)
add <- function(path, class, format, made_by, expected = "fail", disguise = "none") {
  rows <<- c(rows, paste(path, class, format, disguise, made_by, expected, sep = "\t"))
}

# ---- models -----------------------------------------------------------------
set.seed(20240101)
n <- 20
train <- data.frame(x1 = round(rnorm(n), 3), x2 = round(rnorm(n), 3),
                    grp = factor(rep(c("a", "b"), length.out = n)))
train$y <- round(1.5 * train$x1 - 0.7 * train$x2 + rnorm(n, sd = 0.3), 3)

fit_lm <- lm(y ~ x1 + x2, data = train)
m <- function(f) file.path(root, "models", f)

for (cmp in list(list("gzip", "gzip"), list("bzip2", "bzip2"),
                 list("xz", "xz"), list(FALSE, "none"))) {
  f <- m(paste0("r_lm_", cmp[[2]], ".rds"))
  saveRDS(fit_lm, f, compress = cmp[[1]])
  add(f, "model", paste0("rds-", cmp[[2]]), paste0(rver, " saveRDS(lm, compress=", cmp[[2]], ")"))
}
f <- m("r_lm_ascii.rds")
saveRDS(fit_lm, f, ascii = TRUE, compress = FALSE)
add(f, "model", "rds-ascii", paste0(rver, " saveRDS(lm, ascii=TRUE)"))
f <- m("r_lm_v2.rds")
saveRDS(fit_lm, f, version = 2)
add(f, "model", "rds-v2-gzip", paste0(rver, " saveRDS(lm, version=2)"))

fit_rpart <- rpart(y ~ x1 + x2, data = train, control = rpart.control(minsplit = 4, cp = 0.01))
f <- m("r_rpart.rds")
saveRDS(fit_rpart, f)
add(f, "model", "rds-gzip", paste0(rver, " ", pver("rpart"), " saveRDS(rpart)"))

fit_rf <- randomForest(y ~ x1 + x2, data = train, ntree = 3, maxnodes = 4)
f <- m("r_randomforest.rds")
saveRDS(fit_rf, f, compress = "xz")
add(f, "model", "rds-xz", paste0(rver, " ", pver("randomForest"), " saveRDS(randomForest)"))

f <- m("r_models.RData")
save(fit_lm, fit_rpart, file = f)
add(f, "model", "RData-gzip", paste0(rver, " save(lm, rpart)"))
f <- m("r_models_xz.RData")
save(fit_lm, file = f, compress = "xz")
add(f, "model", "RData-xz", paste0(rver, " save(lm, compress=xz)"))
f <- m("r_models_none.rda")
save(fit_lm, file = f, compress = FALSE)
add(f, "model", "RData-none", paste0(rver, " save(lm, compress=FALSE)"))
f <- m("r_models_ascii.RData")
save(fit_lm, file = f, ascii = TRUE)
add(f, "model", "RData-ascii", paste0(rver, " save(lm, ascii=TRUE)"))

# ---- data files -------------------------------------------------------------
set.seed(7)
nd <- 200
people <- data.frame(
  person_id = sprintf("P%05d", seq_len(nd) + 10000L),
  sex = sample(c("F", "M"), nd, replace = TRUE),
  age = sample(18:90, nd, replace = TRUE),
  region = sample(c("North East", "London", "Wales", "South West"), nd, replace = TRUE),
  income = round(rlnorm(nd, 10, 0.5)),
  stringsAsFactors = FALSE
)
d <- function(f) file.path(root, "data", f)

f <- d("r_people.rds")
saveRDS(people, f)
add(f, "data", "rds-data.frame", paste0(rver, " saveRDS(data.frame)"))
f <- d("r_people.RData")
save(people, file = f)
add(f, "data", "RData-data.frame", paste0(rver, " save(data.frame)"))
f <- d("r_people.dta")
write_dta(people, f)
add(f, "data", "stata-dta-118", paste0(rver, " ", pver("haven"), " write_dta"))
f <- d("r_people.sav")
write_sav(people, f)
add(f, "data", "spss-sav", paste0(rver, " ", pver("haven"), " write_sav"))
f <- d("r_people.zsav")
write_sav(people, f, compress = "zsav")
add(f, "data", "spss-zsav", paste0(rver, " ", pver("haven"), " write_sav(compress=zsav)"))
f <- d("r_people.sas7bdat")
suppressWarnings(write_sas(people, f))
add(f, "data", "sas7bdat", paste0(rver, " ", pver("haven"), " write_sas (ReadStat)"))
f <- d("r_people.xpt")
write_xpt(people, f)
add(f, "data", "sas-xport", paste0(rver, " ", pver("haven"), " write_xpt"))

writeLines(rows, rows_file)
cat(length(rows), "R artefacts written\n")

* Tabulate region by sex; the estimates file stays inside the environment.
use "/data/project/extract.dta", clear
logit employed age income
estimates save "/data/project/work/logit_model", replace
* python: import pickle; pickle.dump(m, open("m.pkl","wb"))  -- not used
collapse (count) n=person_id, by(region sex)
export delimited using "outputs/region_by_sex.csv", replace

joblib.dump(model, "/data/project/work/model.joblib")  # stays inside the environment
coef = pd.DataFrame({"term": ["age", "income"], "estimate": model.coef_[0]})
coef.to_csv("outputs/coefficients.csv", index=False)

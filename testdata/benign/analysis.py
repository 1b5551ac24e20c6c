"""Fit the model inside the environment; only the coefficient table leaves."""
import pickle
import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("/data/project/extract.csv")
model = LogisticRegression().fit(df[["age", "income"]], df["employed"])

# Keep the fitted model INSIDE the environment (never request it for export):
with open("/data/project/work/model.pkl", "wb") as f:
    pickle.dump(model, f)
joblib.dump(model, "/data/project/work/model.joblib")
# torch.save(net.state_dict(), "weights.pt") and np.save("w.npy", w) are not used here.

coef = pd.DataFrame({"term": ["age", "income"], "estimate": model.coef_[0]})
coef.to_csv("outputs/coefficients.csv", index=False)

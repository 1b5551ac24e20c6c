#!/usr/bin/python3
"""make-models-as-code.py - fitted models written out as code or text, the
ways their own libraries (or the code generators that wrap them) print
them (doc/design.md, "Models written as text"), and honest outputs that
look a little like them.

Models (all fitted here on scikit-learn's bundled iris and digits data):
  - sklearn.tree.export_text of a decision tree (its own text dump);
  - the same tree as generated Python and C code, written node by node
    from tree_ as m2cgen and sklearn-porter write it (`if input[2] <=
    2.45:`), since neither generator is packaged in Debian;
  - XGBoost's text dump (Booster.get_dump, `0:[f2<2.45] yes=1,no=2`);
  - an MLP's and a logistic regression's weights as a Python list literal,
    a JSON matrix, numpy's repr in a log and np.savetxt text;
  - an ONNX model (onnx.helper, the logistic regression's real weights) in
    protobuf text format (str(ModelProto)) and ONNX's textual syntax
    (checked with onnx.parser).
Benign: a script with a handful of p-value tests, a JSON of 30 metrics,
an HTML chart carrying 600 plotted values (review, never fail).

Needs python3-sklearn, python3-xgboost, python3-onnx; run from the
repository root:

    /usr/bin/python3 testdata/make-models-as-code.py
"""
import json
import os

import numpy as np
import onnx
import onnx.parser
import xgboost
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.tree import DecisionTreeClassifier, export_text

OUT = "testdata/artefacts/disguised/models-as-code"
BENIGN = "testdata/benign/models-as-code"
np.set_printoptions(threshold=1_000_000)


def write(directory, name, text):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "w", newline="\n") as f:
        f.write(text)


iris = load_iris()


def tree_code(t, lang):
    """The tree as nested if/else, as m2cgen writes it."""
    tr = t.tree_
    out = []

    def node(i, depth):
        pad = "    " * depth
        if tr.children_left[i] == -1:
            value = tr.value[i][0] / tr.value[i][0].sum()
            vals = ", ".join(repr(float(v)) for v in value)
            out.append(pad + ("return [%s]" % vals if lang == "py" else
                              "memcpy(output, (double[]){%s}, 3 * sizeof(double)); return;" % vals))
            return
        cond = "input[%d] <= %r" % (tr.feature[i], float(tr.threshold[i]))
        if lang == "py":
            out.append(pad + "if %s:" % cond)
            node(tr.children_left[i], depth + 1)
            out.append(pad + "else:")
            node(tr.children_right[i], depth + 1)
        else:
            out.append(pad + "if (%s) {" % cond)
            node(tr.children_left[i], depth + 1)
            out.append(pad + "} else {")
            node(tr.children_right[i], depth + 1)
            out.append(pad + "}")

    node(0, 1)
    body = "\n".join(out) + "\n"
    if lang == "py":
        return "def score(input):\n" + body
    return "#include <string.h>\nvoid score(double *input, double *output) {\n" + body + "}\n"


# A deeper tree on digits, so the code has many splits.
digits = load_digits()
deep = DecisionTreeClassifier(random_state=0, max_leaf_nodes=120).fit(digits.data, digits.target)
write(OUT, "digits_tree.py", tree_code(deep, "py"))
write(OUT, "digits_tree_export_text.txt",
      export_text(deep, feature_names=["pixel_%d" % i for i in range(64)]))
write(OUT, "digits_tree.c", tree_code(deep, "c"))

booster = xgboost.train({"max_depth": 3, "objective": "multi:softprob", "num_class": 3},
                        xgboost.DMatrix(iris.data, label=iris.target), num_boost_round=10)
write(OUT, "iris_xgb_dump.txt", "".join("booster[%d]:\n%s" % (i, d)
                                        for i, d in enumerate(booster.get_dump())))

logreg = LogisticRegression(max_iter=2000).fit(digits.data, digits.target)
mlp = MLPClassifier(hidden_layer_sizes=(16,), max_iter=300, random_state=0).fit(digits.data,
                                                                               digits.target)
write(OUT, "mlp_weights.py",
      "# weights of the fitted network\nW1 = %r\nb1 = %r\nW2 = %r\nb2 = %r\n"
      % tuple(a.tolist() for a in (mlp.coefs_[0], mlp.intercepts_[0], mlp.coefs_[1],
                                   mlp.intercepts_[1])))
write(OUT, "logreg_coef.json", json.dumps({"coef": logreg.coef_.tolist(),
                                           "intercept": logreg.intercept_.tolist()}))
write(OUT, "logreg_coef.log", "fitted LogisticRegression\ncoef_ =\n%r\n" % logreg.coef_)
with open(os.path.join(OUT, "logreg_coef_savetxt.txt"), "w") as f:
    np.savetxt(f, logreg.coef_)

# ONNX: the logistic regression's weights as a MatMul + Add + Softmax graph.
W = numpy_helper.from_array(logreg.coef_.T.astype(np.float32), "W")
B = numpy_helper.from_array(logreg.intercept_.astype(np.float32), "B")
graph = helper.make_graph(
    [helper.make_node("MatMul", ["X", "W"], ["XW"]), helper.make_node("Add", ["XW", "B"], ["Z"]),
     helper.make_node("Softmax", ["Z"], ["P"])],
    "logreg", [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 64])],
    [helper.make_tensor_value_info("P", TensorProto.FLOAT, [None, 10])], [W, B])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
write(OUT, "logreg_onnx.txt", str(model))
# onnx.printer (onnx 1.13 and later) writes this syntax; Debian's onnx 1.12
# has only its parser, which checks the text written here.
syntax = ("<\n  ir_version: 8,\n  opset_import: [\"\" : 13]\n>\n"
          "logreg (float[N, 64] X) => (float[N, 10] P)\n"
          "<float[64, 10] W = {%s}, float[10] B = {%s}>\n"
          "{\n  XW = MatMul(X, W)\n  Z = Add(XW, B)\n  P = Softmax(Z)\n}\n"
          % (", ".join(repr(float(v)) for v in logreg.coef_.T.astype(np.float32).ravel()),
             ", ".join(repr(float(v)) for v in logreg.intercept_.astype(np.float32))))
onnx.checker.check_model(onnx.parser.parse_model(syntax))
write(OUT, "logreg_onnx_syntax.txt", syntax)

# Benign.
write(BENIGN, "pvalues.py",
      "import scipy.stats as st\n\nfor name, p in results.items():\n"
      "    if p < 0.05:\n        print(name, 'significant')\n"
      "    elif p < 0.10:\n        print(name, 'weak')\n"
      "ci = [0.12, 0.34]\nif effect > 0.5:\n    print('large')\n")
rng = np.random.default_rng(7)
write(BENIGN, "metrics.json",
      json.dumps({"model": "summary only", "auc_by_fold": [round(x, 4) for x in rng.random(30)]}))
write(BENIGN, "chart.html",
      "<html><body><div id=\"c\"></div><script>var trace = {x: %s, y: %s};</script>"
      "</body></html>\n" % (json.dumps(list(range(300))),
                             json.dumps([round(float(v), 3) for v in rng.normal(size=600)])))

AGE_BANDS = [
    0, 16, 25,
    35, 45, 55,
    65, 75, 85,
]
from math import floor, ceil
x, y = 1, 2
print(x, y)
print(floor(x), ceil(y))

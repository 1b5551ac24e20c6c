import scipy.stats as st

for name, p in results.items():
    if p < 0.05:
        print(name, 'significant')
    elif p < 0.10:
        print(name, 'weak')
ci = [0.12, 0.34]
if effect > 0.5:
    print('large')

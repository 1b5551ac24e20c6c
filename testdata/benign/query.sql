-- counts by region; the person table stays inside
SELECT region, sex, COUNT(*) AS n FROM people GROUP BY region, sex HAVING COUNT(*) >= 10;

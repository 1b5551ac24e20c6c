CREATE TABLE region_lookup (code INTEGER, name TEXT);
INSERT INTO region_lookup VALUES (1, 'North East'), (2, 'North West'), (3, 'Yorkshire');
SELECT l.name, COUNT(*) AS n FROM people p JOIN region_lookup l ON p.region = l.code GROUP BY l.name HAVING COUNT(*) >= 10;

-- 0009: reserved for the dedup helper's migration, which replaces this
-- file when the branches meet (versions must run without gaps).
SELECT 1;

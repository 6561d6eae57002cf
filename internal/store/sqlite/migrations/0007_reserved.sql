-- 0007 is taken by the search index, on another branch: this placeholder
-- keeps the versions consecutive until that branch is merged, and goes then.
SELECT 1;

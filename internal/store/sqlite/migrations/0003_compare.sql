-- 0003: what a story's reports say alike and apart, and speakers' roles.

-- comparison is the story's dossier.Comparison as JSON, NULL until compared.
ALTER TABLE stories ADD COLUMN comparison BLOB;
-- Uncompared: the stories a write has left without a current comparison.
CREATE INDEX stories_uncompared ON stories(created) WHERE comparison IS NULL;

ALTER TABLE quotes ADD COLUMN role TEXT NOT NULL DEFAULT '';

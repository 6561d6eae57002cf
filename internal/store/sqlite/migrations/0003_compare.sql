-- 0003: what a story's reports say alike and apart, and speakers' roles.

-- comparison is the story's dossier.Comparison as JSON, NULL until compared.
ALTER TABLE stories ADD COLUMN comparison BLOB;
-- Uncompared: the stories a write has left without a current comparison.
CREATE INDEX stories_uncompared ON stories(created) WHERE comparison IS NULL;

ALTER TABLE quotes ADD COLUMN role TEXT NOT NULL DEFAULT '';
-- given is the speaker as the article names them; speaker_id may hold the
-- story-wide name instead (RenameSpeakers), always derived from given.
ALTER TABLE quotes ADD COLUMN given TEXT NOT NULL DEFAULT '';
UPDATE quotes SET given = COALESCE((SELECT name FROM speakers WHERE id = quotes.speaker_id), '');

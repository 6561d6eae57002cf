-- 0007: full-text search. The indexes hold Dossier's own token stream
-- (query.Tokens, space-separated), so the engine only splits on spaces:
-- the ascii tokenizer keeps every non-ASCII byte and, with these token
-- characters, the inner apostrophes, hyphens and number separators of a
-- token. Contentless: the text is read from articles and quotes.
-- article_search's rowid is the article's seq; quote_search's is
-- seq << 20 | ordinal.
CREATE VIRTUAL TABLE article_search USING fts5(title, text,
	content = '', contentless_delete = 1, tokenize = "ascii tokenchars '''-.,'");
CREATE VIRTUAL TABLE quote_search USING fts5(text, speaker,
	content = '', contentless_delete = 1, tokenize = "ascii tokenchars '''-.,'");

-- Listing by date when a query has no term to rank by.
CREATE INDEX articles_published ON articles(pub_ns, seq);
CREATE INDEX articles_outlet_published ON articles(outlet_id, pub_ns, seq);

-- step: search

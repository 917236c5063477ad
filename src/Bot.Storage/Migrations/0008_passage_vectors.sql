-- Sentence vectors of the passages for Q&A, filled in the background after an import (the full
-- text index answers at once). One vector per passage, tagged with the model that made it, so a
-- new model is noticed and its vectors rebuilt. The rowid grows with every write: the in-memory
-- index loads only what is newer than what it holds.
CREATE TABLE passage_vectors (
    seq        INTEGER PRIMARY KEY,
    passage_id INTEGER NOT NULL UNIQUE REFERENCES passages (id) ON DELETE CASCADE,
    model      TEXT    NOT NULL,
    vector     BLOB    NOT NULL -- float32, little-endian, unit length
);

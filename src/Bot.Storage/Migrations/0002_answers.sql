-- Every answer given in chat, so 👍/👎 votes can be read next to the question and the answer.
CREATE TABLE answers (
    id           INTEGER PRIMARY KEY,
    platform     TEXT    NOT NULL,
    conversation TEXT,
    question     TEXT    NOT NULL,
    answer       TEXT    NOT NULL,
    answered     INTEGER NOT NULL,
    incident     TEXT,
    confidence   REAL    NOT NULL,
    asked_at     TEXT    NOT NULL
);
CREATE INDEX ix_answers_asked_at ON answers (asked_at);

CREATE TABLE answer_votes (
    answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    voter     TEXT    NOT NULL,
    vote      INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    voted_at  TEXT    NOT NULL,
    PRIMARY KEY (answer_id, voter)
);

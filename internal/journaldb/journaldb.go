// Package journaldb opens the SQLite files p2c keeps its journals in (the
// apply journal, the profiles load checkpoints): private, durable on every
// commit, one connection.
package journaldb

import (
	"database/sql"
	"errors"
	"fmt"
	"os"

	_ "modernc.org/sqlite" // pure Go, as DESIGN.md asks
)

// Open opens (creating it 0600) the database at path and applies schema.
// Every commit is on disk before it returns (WAL, synchronous=FULL): a
// journal row is a promise about what happened in the target account.
func Open(path, schema string) (*sql.DB, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	f.Close()
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One connection: writes are serialized here, not by SQLite retries.
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// The WAL side files inherit the umask; keep them private as well.
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			db.Close()
			return nil, fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return db, nil
}

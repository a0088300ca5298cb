package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/target"
)

// AuditFile is the audit log's name in the workspace.
const AuditFile = "audit.jsonl"

// AuditEntry is one mutating call. It names the resource, never the
// request's content: specs can carry customer data (template bodies,
// addresses) and the log is kept for years.
type AuditEntry struct {
	Time      time.Time `json:"time"`
	Step      string    `json:"step"`
	Service   string    `json:"service"`
	Region    string    `json:"region"`
	Operation string    `json:"operation"`
	Resource  string    `json:"resource,omitempty"`
	RequestID string    `json:"requestId,omitempty"`
	Outcome   string    `json:"outcome"` // ok, error
	ErrorCode string    `json:"errorCode,omitempty"`
	Status    int       `json:"httpStatus,omitempty"`
}

// audit appends entries to audit.jsonl (0600), one fsynced line each.
type audit struct {
	mu   sync.Mutex
	path string
}

func (a *audit) append(e AuditEntry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(a.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	_, werr := f.Write(append(line, '\n'))
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

// auditError fills an entry's outcome from a call's error.
func auditError(e *AuditEntry, err error) {
	if err == nil {
		e.Outcome = "ok"
		return
	}
	e.Outcome = "error"
	var ae *target.APIError
	if errors.As(err, &ae) {
		e.ErrorCode, e.Status, e.RequestID = ae.Code, ae.Status, ae.RequestID
		return
	}
	e.ErrorCode = "transport"
}

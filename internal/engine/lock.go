package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"syscall"
	"time"
)

// LockFile is the lock's name in the workspace.
const LockFile = "apply.lock"

// Owner is who holds the lock.
type Owner struct {
	User string    `json:"user"`
	Host string    `json:"host"`
	PID  int       `json:"pid"`
	Time time.Time `json:"time"`
}

func (o Owner) String() string {
	return fmt.Sprintf("%s@%s (pid %d) since %s", o.User, o.Host, o.PID, o.Time.UTC().Format(time.RFC3339))
}

// CurrentOwner describes this process.
func CurrentOwner() Owner {
	o := Owner{PID: os.Getpid(), Time: time.Now().UTC()}
	if u, err := user.Current(); err == nil {
		o.User = u.Username
	}
	o.Host, _ = os.Hostname()
	return o
}

// Alive reports whether the owner is a live process on this host (false
// when it cannot tell: another host).
func (o Owner) Alive() bool {
	host, _ := os.Hostname()
	if o.Host != host || o.PID <= 0 {
		return false
	}
	err := syscall.Kill(o.PID, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// LockedError is returned when another apply holds the workspace.
type LockedError struct {
	Path  string
	Owner Owner
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("the workspace is locked by %s (%s): another p2c apply is running; if it is not, run p2c unlock", e.Owner, e.Path)
}

// Lock is a held workspace lock.
type Lock struct{ path string }

// Acquire takes the workspace lock for owner. A lock left by a process of
// this host that no longer runs (a killed apply) is taken over.
func Acquire(dir string, owner Owner) (*Lock, error) {
	path := filepath.Join(dir, LockFile)
	data, err := json.Marshal(owner)
	if err != nil {
		return nil, err
	}
	for range 2 {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			_, werr := f.Write(append(data, '\n'))
			serr := f.Sync()
			cerr := f.Close()
			if err := errors.Join(werr, serr, cerr); err != nil {
				os.Remove(path)
				return nil, fmt.Errorf("write lock %s: %w", path, err)
			}
			return &Lock{path: path}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("take lock %s: %w", path, err)
		}
		held, rerr := ReadLock(dir)
		if rerr != nil {
			return nil, rerr
		}
		host, _ := os.Hostname()
		if held == nil || held.PID == 0 || (held.Host == host && !held.Alive()) {
			// Stale: its process is gone, or it died writing the lock.
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("remove stale lock %s: %w", path, err)
			}
			continue
		}
		return nil, &LockedError{Path: path, Owner: *held}
	}
	return nil, fmt.Errorf("take lock %s: lost a race with another p2c", path)
}

// Release drops the lock.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("release lock: %w", err)
	}
	return nil
}

// ReadLock returns the lock's owner, nil when unlocked.
func ReadLock(dir string) (*Owner, error) {
	path := filepath.Join(dir, LockFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read lock: %w", err)
	}
	var o Owner
	if err := json.Unmarshal(data, &o); err != nil {
		// A torn write from a crash: nobody can own it.
		return &Owner{}, nil
	}
	return &o, nil
}

// Unlock removes the workspace lock whoever holds it; it returns the
// owner it removed (nil when there was none).
func Unlock(dir string) (*Owner, error) {
	o, err := ReadLock(dir)
	if err != nil || o == nil {
		return nil, err
	}
	if err := os.Remove(filepath.Join(dir, LockFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("unlock: %w", err)
	}
	return o, nil
}

package cli

import (
	"fmt"
	"os"
	"path/filepath"
)

// workspaceDir creates the workspace folder (0700) and returns its path.
func (g *GlobalOptions) workspaceDir() (string, error) {
	dir := g.Workspace
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create workspace %s: %w", dir, err)
	}
	return dir, nil
}

// artifact is the path of a named artifact in the workspace.
func (g *GlobalOptions) artifact(name string) (string, error) {
	dir, err := g.workspaceDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

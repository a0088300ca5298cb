// Package saved reads what teams kept of their Pinpoint footprint before
// the end of support: AWS CLI outputs, CloudFormation and Terraform,
// endpoint export files and earlier p2c inventories. Each file is detected
// by its content, not its name, and becomes an inventory fragment that the
// scan merges with whatever the live APIs still answer.
package saved

import (
	"bytes"
	"time"
)

// File is one saved file, read whole (endpoint exports are streamed
// instead and never reach a File).
type File struct {
	// Name is the path or s3:// URL, as the user will recognise it.
	Name string
	Data []byte
	// ModTime is when the file was last written; it stands for "when the
	// content was read from AWS" unless the content says better.
	ModTime time.Time
}

// Line returns the 1-based line of a byte offset.
func (f *File) Line(offset int64) int {
	if offset < 0 {
		return 0
	}
	if offset > int64(len(f.Data)) {
		offset = int64(len(f.Data))
	}
	return 1 + bytes.Count(f.Data[:offset], []byte("\n"))
}

package saved

import (
	"encoding/json"
	"path/filepath"
	"sort"

	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/saved/cfn"
	"github.com/p2c/p2c/internal/source/saved/cliout"
	"github.com/p2c/p2c/internal/source/saved/tf"
)

func detectCFN(data []byte) (bool, string) { return cfn.Detect(data) }

func detectCLI(data []byte) bool { return cliout.Detect(data) }

func detectTF(data []byte) bool { return tf.Detect(data) }

func (l *loader) cloudFormation(f *File) {
	frag, err := cfn.Load(f.Name, f.Data, f.ModTime, cfn.Options{DefaultRegion: l.opts.DefaultRegion, AccountID: l.opts.AccountID})
	l.fragment(f.Name, frag, err)
}

func (l *loader) cliOutput(f *File) {
	// Endpoints saved with get-endpoint / get-user-endpoints feed the same
	// per-app statistics as export files, so one app's figures come from
	// everything given, counted once.
	frag, err := cliout.Load(f.Name, f.Data, f.ModTime, cliout.Options{DefaultRegion: l.opts.DefaultRegion,
		Endpoints: func(region, app string, endpoint json.RawMessage) {
			acc := l.exportAcc(app, region, f.Name, f.ModTime)
			_ = acc.builder.Add(endpoint) // counted as malformed by the builder when bad
		}})
	if frag != nil {
		for ri := range frag.Regions {
			for ai := range frag.Regions[ri].Apps {
				frag.Regions[ri].Apps[ai].EndpointStats = nil
			}
		}
	}
	l.fragment(f.Name, frag, err)
}

// finishTerraform loads each folder's Terraform files as one module. A
// folder whose files declare the same resource address twice is not one
// module (Terraform would refuse it: such folders are collections of
// examples): its files are split into groups without clashes, and the
// files that declare no resource (variables, locals, providers) join every
// group.
func (l *loader) finishTerraform() error {
	dirs := make([]string, 0, len(l.tf))
	for d := range l.tf {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		groups := l.tfGroups(d)
		for _, files := range groups {
			frag, err := tf.Load(files, tf.Options{DefaultRegion: l.opts.DefaultRegion, Vars: l.opts.TFVars})
			name := filepath.Join(d, "*.tf")
			if len(groups) > 1 {
				name = files[0].Name
			}
			l.fragment(name, frag, err)
		}
	}
	return nil
}

func (l *loader) tfGroups(dir string) [][]tf.File {
	var shared []tf.File
	type group struct {
		files []tf.File
		addrs map[string]bool
	}
	var groups []*group
	for _, f := range l.tf[dir] {
		file := tf.File{Name: f.name, Data: f.data, ModTime: f.modTime}
		addrs, err := tf.Addresses(file)
		if err != nil || len(addrs) == 0 {
			// Unparseable files still go to tf.Load, which names the line.
			shared = append(shared, file)
			continue
		}
		var home *group
		for _, g := range groups {
			clash := false
			for _, a := range addrs {
				clash = clash || g.addrs[a]
			}
			if !clash {
				home = g
				break
			}
		}
		if home == nil {
			home = &group{addrs: map[string]bool{}}
			groups = append(groups, home)
		}
		home.files = append(home.files, file)
		for _, a := range addrs {
			home.addrs[a] = true
		}
	}
	if len(groups) > 1 {
		l.warn(dir, 0, "the Terraform files of this folder declare the same resource more than once, so they are not one module: read as %d separate groups", len(groups))
	}
	if len(groups) == 0 {
		return [][]tf.File{shared}
	}
	out := make([][]tf.File, len(groups))
	for i, g := range groups {
		out[i] = append(append([]tf.File(nil), g.files...), shared...)
	}
	return out
}

// fragment keeps what a loader returned: its fragment even with an error
// (nothing already read is lost), and the error as a warning.
func (l *loader) fragment(name string, inv *inventory.Inventory, err error) {
	if err != nil {
		// Loaders name the file (and line) themselves.
		l.res.Warnings = append(l.res.Warnings, inventory.Warning{Message: err.Error()})
	}
	if inv != nil {
		l.res.Warnings = append(l.res.Warnings, inv.Warnings...)
		inv.Warnings = nil
		l.res.Fragments = append(l.res.Fragments, inv)
	}
}

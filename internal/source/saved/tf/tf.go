// Package tf reads Terraform configuration that declared Pinpoint
// resources and turns one module (the .tf files of one folder) into an
// inventory fragment.
//
// It parses with the real HCL parser (native syntax and .tf.json) and
// evaluates each argument the way Terraform would, as far as the files
// allow:
//
// Resolved:
//   - literals, string templates, operators, conditionals and for
//     expressions;
//   - var.X from opts.Vars (parsed as HCL for non-string types), else the
//     variable's default, converted to its type constraint (optional()
//     attribute defaults included);
//   - local.X, in dependency order;
//   - references to aws_pinpoint_* resources of the module: an app's
//     application_id and id become its synthetic id
//     "iac:<file>#aws_pinpoint_app.<name>"; other arguments of Pinpoint
//     resources resolve when they are themselves resolvable (an opt-out
//     list's name, a template's template_name);
//   - functions: the common string, number, collection, encoding and
//     conversion functions (format, lower, upper, join, split, replace
//     with /regex/, merge, concat, lookup, coalesce, flatten, keys,
//     jsonencode, jsondecode, tomap, tolist, tostring, try, can, ...);
//     file() relative to the module folder, when the file is among the
//     files given or exists on disk next to them;
//   - count and for_each with a known value (up to 32 instances) are
//     expanded, addresses get their [index] or ["key"];
//   - the provider's region (per alias, and the resource's own region
//     argument) and default_tags.
//
// Not resolved (kept as {"p2c:unresolved": "<expression>"} in the object
// and listed in Fragment.Unresolved with file, line and reason, never
// guessed):
//   - variables without default or value, undeclared variables;
//   - data sources, module outputs, other providers' and non-Pinpoint
//     resources' attributes, computed attributes of Pinpoint resources
//     (arn, a phone number's id);
//   - count.index / each.* of a resource whose count or for_each is
//     unknown (the resource is kept once, unexpanded, with a warning; a
//     count of 0 is kept the same way because a module's defaults need not
//     be what was deployed);
//   - templatefile, timestamp, uuid and other functions not listed above;
//     dynamic blocks;
//   - an app name from name_prefix or no name at all (Terraform or AWS
//     makes it up);
//   - module calls are not followed (a child module's resources are read
//     when its own folder is given).
//
// Channel credentials (APNs certificate, private_key, token_key; GCM
// api_key, service_json; Baidu api_key, secret_key; ADM client_id,
// client_secret) are never written: the object gets the flags the API
// shows (HasCredential, HasTokenKey, HasFcmServiceCredentials) and the
// fragment a SecretSeen entry. APNs bundle_id, team_id and token_key_id
// have no member in the API's channel response and are dropped too.
// Arguments that the API's response shapes do not carry (EUM tags) are
// dropped; unknown resource types are ignored.
package tf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/p2c/p2c/internal/inventory"
)

// Kind is the saved-source kind this package produces.
const Kind = "terraform"

// File is one .tf (or .tf.json) file of a module.
type File struct {
	Name    string
	Data    []byte
	ModTime time.Time
}

// Options control loading.
type Options struct {
	// DefaultRegion is the region of resources whose provider names none.
	DefaultRegion string
	// Vars are values for input variables, as -var would give them.
	Vars map[string]string
}

// topLevel lists Terraform's top-level block types and their label counts.
var topLevel = map[string]int{
	"resource": 2, "data": 2, "variable": 1, "locals": 0, "module": 1,
	"provider": 1, "output": 1, "terraform": 0, "moved": 0, "import": 0,
	"check": 1, "removed": 0, "ephemeral": 2,
}

// declaring are the block types whose presence makes a file Terraform.
var declaring = map[string]bool{
	"resource": true, "variable": true, "module": true, "provider": true, "locals": true, "data": true,
}

var topSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "ephemeral", LabelNames: []string{"type", "name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "check", LabelNames: []string{"name"}},
	{Type: "terraform"}, {Type: "moved"}, {Type: "import"}, {Type: "removed"},
}}

var bom = []byte("\ufeff")

// Detect reports whether data is a Terraform configuration file: it
// parses as HCL (or Terraform's JSON syntax) and declares at least one
// resource, variable, module, provider, locals or data block, and nothing
// that is not a Terraform top-level block.
func Detect(data []byte) bool {
	data = bytes.TrimPrefix(data, bom)
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return detectJSON(trimmed)
	}
	f, diags := hclsyntax.ParseConfig(data, "detect.tf", hcl.InitialPos)
	if f == nil {
		return false
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return false
	}
	found := false
	for _, b := range body.Blocks {
		n, ok := topLevel[b.Type]
		if !ok {
			return false
		}
		if declaring[b.Type] && len(b.Labels) == n {
			found = true
		}
	}
	// A file with syntax errors still belongs to its module when what
	// parsed declares Terraform blocks: Load then says where it breaks.
	// Top-level attributes are never Terraform (but are .tfvars).
	_ = diags
	return found && len(body.Attributes) == 0
}

func detectJSON(b []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return false
	}
	found := false
	for k, v := range top {
		if _, ok := topLevel[k]; !ok {
			if k == "//" { // JSON syntax comments
				continue
			}
			return false
		}
		if declaring[k] && len(bytes.TrimSpace(v)) > 0 && (v[0] == '{' || v[0] == '[') {
			found = true
		}
	}
	return found
}

// parsed is one file of the module.
type parsed struct {
	f    *File
	data []byte // without a byte-order mark
	base string
	body hcl.Body
}

// Load reads the files of one module into a fragment. A file that does not
// parse is left out and named, with its line, in the returned error; the
// fragment still holds what the other files declare (it is nil only when
// no file parses).
func Load(files []File, opts Options) (*inventory.Inventory, error) {
	if len(files) == 0 {
		return nil, errors.New("terraform: no files given")
	}
	sorted := make([]*File, len(files))
	for i := range files {
		sorted[i] = &files[i]
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })

	var readAt time.Time
	var errs []error
	var mods []*parsed
	for _, f := range sorted {
		if f.ModTime.After(readAt) {
			readAt = f.ModTime
		}
		p, err := parse(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		mods = append(mods, p)
	}
	readAt = readAt.UTC()
	if len(mods) == 0 {
		return nil, errors.Join(errs...)
	}
	m := newModule(mods, sorted, opts, readAt)
	m.load()
	return m.inv, errors.Join(errs...)
}

func parse(f *File) (*parsed, error) {
	data := bytes.TrimPrefix(f.Data, bom)
	p := &parsed{f: f, data: data, base: filepath.Base(f.Name)}
	var hf *hcl.File
	var diags hcl.Diagnostics
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		hf, diags = hcljson.Parse(data, f.Name)
	} else {
		hf, diags = hclsyntax.ParseConfig(data, f.Name, hcl.InitialPos)
	}
	if diags.HasErrors() {
		return nil, diagError(f.Name, diags)
	}
	p.body = hf.Body
	return p, nil
}

// diagError names the file and line of the first error.
func diagError(name string, diags hcl.Diagnostics) error {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		return fmt.Errorf("%s:%d: terraform: %s", name, line, strings.TrimSuffix(msg, "."))
	}
	return fmt.Errorf("%s: terraform: %s", name, diags.Error())
}

// Addresses lists the resource addresses (type.name) a file declares, so a
// caller can tell whether files of one folder form one module: Terraform
// refuses a module that declares an address twice.
func Addresses(f File) ([]string, error) {
	p, err := parse(&f)
	if err != nil {
		return nil, err
	}
	content, _, _ := p.body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "resource", LabelNames: []string{"type", "name"}}}})
	var out []string
	for _, b := range content.Blocks {
		out = append(out, b.Labels[0]+"."+b.Labels[1])
	}
	return out, nil
}

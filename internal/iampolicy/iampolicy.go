// Package iampolicy builds the least-privilege IAM policy for the calls
// p2c makes. The operations come from the code paths themselves
// (live.Operations, engine.Operations), never from a hand list, so the
// policy cannot fall behind the code.
package iampolicy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/engine"
	"github.com/p2c/p2c/internal/source/live"
)

// Purposes are the values --for takes.
var Purposes = []string{"scan", "apply", "rollback", "all"}

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a policy.
type Statement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Action    []string                     `json:"Action"`
	Resource  string                       `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// Operations returns the calls made for purpose, as "signing-name:Op".
func Operations(purpose string) ([]string, error) {
	var ops []string
	switch purpose {
	case "scan":
		ops = live.Operations()
	case "apply", "rollback":
		ops = engine.Operations(purpose)
	case "all":
		for _, p := range []string{"scan", "apply", "rollback"} {
			o, _ := Operations(p)
			ops = append(ops, o...)
		}
	default:
		return nil, fmt.Errorf("unknown purpose %q (want %s)", purpose, strings.Join(Purposes, ", "))
	}
	return ops, nil
}

// s3Actions maps S3 operations to their IAM actions, which do not share
// the operations' names.
var s3Actions = map[string]string{
	"HeadBucket":    "s3:ListBucket",
	"ListObjectsV2": "s3:ListBucket",
	"ListObjects":   "s3:ListBucket",
	"GetObject":     "s3:GetObject",
	"PutObject":     "s3:PutObject",
}

// Action is the IAM action of a "signing-name:Op" call. For every service
// p2c calls except S3 the signing name is the IAM prefix and the operation
// name the action name.
func Action(call string) (string, error) {
	svc, op, ok := strings.Cut(call, ":")
	if !ok {
		return "", fmt.Errorf("call %q is not service:Operation", call)
	}
	if svc == "s3" {
		a, ok := s3Actions[op]
		if !ok {
			return "", fmt.Errorf("no IAM action known for s3 %s", op)
		}
		return a, nil
	}
	return svc + ":" + op, nil
}

// exportRoleAction: creating a Pinpoint export job hands Pinpoint the
// export role, which needs iam:PassRole limited to Pinpoint.
const exportRoleAction = "mobiletargeting:CreateExportJob"

// Build returns the policy for purpose: one statement per service with
// its actions sorted, and iam:PassRole when the endpoint export is made.
func Build(purpose string) (*Document, error) {
	ops, err := Operations(purpose)
	if err != nil {
		return nil, err
	}
	byPrefix := map[string]map[string]bool{}
	passRole := false
	for _, call := range ops {
		a, err := Action(call)
		if err != nil {
			return nil, err
		}
		prefix, _, _ := strings.Cut(a, ":")
		if byPrefix[prefix] == nil {
			byPrefix[prefix] = map[string]bool{}
		}
		byPrefix[prefix][a] = true
		passRole = passRole || call == exportRoleAction
	}
	prefixes := make([]string, 0, len(byPrefix))
	for p := range byPrefix {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	doc := &Document{Version: "2012-10-17"}
	for _, p := range prefixes {
		actions := make([]string, 0, len(byPrefix[p]))
		for a := range byPrefix[p] {
			actions = append(actions, a)
		}
		sort.Strings(actions)
		doc.Statement = append(doc.Statement, Statement{Sid: sid(p), Effect: "Allow", Action: actions, Resource: "*"})
	}
	if passRole {
		doc.Statement = append(doc.Statement, Statement{Sid: "PassExportRole", Effect: "Allow", Action: []string{"iam:PassRole"}, Resource: "*",
			Condition: map[string]map[string]string{"StringEquals": {"iam:PassedToService": "mobiletargeting.amazonaws.com"}}})
	}
	return doc, nil
}

// Actions lists every action the document allows.
func (d *Document) Actions() []string {
	var out []string
	for _, s := range d.Statement {
		out = append(out, s.Action...)
	}
	sort.Strings(out)
	return out
}

// sid turns an IAM prefix into a statement id ("connect-campaigns" →
// "ConnectCampaigns"); ids allow only alphanumerics.
func sid(prefix string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(prefix, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

package engine

import (
	"context"
	"sort"

	"github.com/p2c/p2c/internal/awsmodel"
)

// Operations lists the calls apply and verify (purpose "apply") or
// rollback ("rollback") can make, as "signing-name:Op", read from the provisioner
// table itself: each create, put or check operation, every lookup its find
// makes (found by running find against a reader that records the calls and
// answers with one empty item in every list, so lookups that read further
// after a match are followed), verify's read-back calls, and each undo
// operation with what rollback calls before it. `p2c iam-policy`
// turns them into IAM actions; TestOperationsCoverApply checks them against
// the calls a demo apply sends.
func Operations(purpose string) []string {
	set := map[string]bool{}
	for service, ops := range provisioners {
		sign := signingName(service)
		for op, p := range ops {
			switch purpose {
			case "apply":
				set[sign+":"+op] = true
				if p.find != nil {
					for _, r := range lookups(service, p) {
						set[r] = true
					}
				}
				// verify reads back what apply made, with the same rights.
				if rb := readBacks[service][op]; rb != nil {
					read, _ := rb.call(M{}, Outputs{})
					set[sign+":"+read] = true
				}
			case "rollback":
				if p.undo != nil {
					undo, _ := p.undo(M{}, Outputs{})
					set[sign+":"+undo] = true
					for _, extra := range undoFirst[service+" "+undo] {
						set[sign+":"+extra] = true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// undoFirst are the calls undoStep makes before an undo operation: a
// campaign's state is read and a running one stopped before it is deleted.
// TestOperationsCoverApply rolls the demo back and checks every call sent
// is listed.
var undoFirst = map[string][]string{
	"connectcampaignsv2 DeleteCampaign": {"GetCampaignState", "StopCampaign"},
}

// lookups runs p.find with a recording reader and returns the calls made.
func lookups(service string, p *provisioner) []string {
	var calls []string
	read := func(_ context.Context, svc, op string, _ map[string]any) (map[string]any, error) {
		if svc == "" {
			svc = service
		}
		calls = append(calls, signingName(svc)+":"+op)
		return sampleOutput(svc, op), nil
	}
	_, _ = p.find(context.Background(), read, M{})
	return calls
}

// sampleOutput is an answer to op with one empty object in every
// top-level list member: with an empty input every match succeeds.
func sampleOutput(service, op string) map[string]any {
	out := M{}
	m, err := awsmodel.Load(service)
	if err != nil {
		return out
	}
	s := m.OutputShape(op)
	if s == nil {
		return out
	}
	for name, ref := range s.Members {
		switch ms := m.Shape(ref.Shape); {
		case ms == nil:
		case ms.Type == "list":
			out[name] = []any{M{}}
		case ms.Type == "structure":
			out[name] = M{}
		}
	}
	return out
}

// signingName is the service's SigV4 signing name, which for every target
// service is also its IAM action prefix.
func signingName(service string) string {
	if m, err := awsmodel.Load(service); err == nil && m.Metadata.SigningName != "" {
		return m.Metadata.SigningName
	}
	return service
}

package target

import (
	"context"
	"fmt"
	"strings"

	"github.com/p2c/p2c/internal/blueprint"
)

// Checker confirms that decision answers naming target resources name ones
// that exist: Connect instances, phone numbers (Connect or End User
// Messaging), knowledge bases and Customer Profiles domains given as ARNs.
// Kinds it cannot check are passed over.
type Checker struct {
	Client Caller
}

// Caller is what Checker needs of a client (a *Client, or a test double).
type Caller interface {
	Call(ctx context.Context, service, region, op string, input map[string]any) (*Result, error)
}

var _ blueprint.Checker = Checker{}

// Check implements blueprint.Checker.
func (c Checker) Check(ctx context.Context, q *blueprint.Question) error {
	a, ok := parseARN(q.Answer)
	if !ok {
		return nil // not an ARN: format checks happen when decisions are read
	}
	var service, op string
	var input map[string]any
	switch {
	case a.service == "connect" && strings.HasPrefix(a.resource, "instance/") && !strings.Contains(a.resource[len("instance/"):], "/"):
		service, op, input = "connect", "DescribeInstance", map[string]any{"InstanceId": strings.TrimPrefix(a.resource, "instance/")}
	case a.service == "connect" && strings.HasPrefix(a.resource, "phone-number/"):
		service, op, input = "connect", "DescribePhoneNumber", map[string]any{"PhoneNumberId": q.Answer}
	case a.service == "sms-voice" && strings.HasPrefix(a.resource, "phone-number/"):
		service, op, input = "pinpoint-sms-voice-v2", "DescribePhoneNumbers", map[string]any{"PhoneNumberIds": []any{q.Answer}}
	case a.service == "wisdom" && strings.HasPrefix(a.resource, "knowledge-base/"):
		service, op, input = "qconnect", "GetKnowledgeBase", map[string]any{"knowledgeBaseId": strings.TrimPrefix(a.resource, "knowledge-base/")}
	case a.service == "profile" && strings.HasPrefix(a.resource, "domains/") && !strings.Contains(a.resource[len("domains/"):], "/"):
		service, op, input = "customer-profiles", "GetDomain", map[string]any{"DomainName": strings.TrimPrefix(a.resource, "domains/")}
	default:
		return nil
	}
	_, err := c.Client.Call(ctx, service, a.region, op, input)
	if IsCode(err, "ResourceNotFoundException", "NotFoundException") {
		return fmt.Errorf("no such resource in account %s, region %s", a.account, a.region)
	}
	if err != nil {
		return fmt.Errorf("could not check it: %w", err)
	}
	return nil
}

type arnParts struct {
	service, region, account, resource string
}

func parseARN(s string) (arnParts, bool) {
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return arnParts{}, false
	}
	return arnParts{service: p[2], region: p[3], account: p[4], resource: p[5]}, true
}

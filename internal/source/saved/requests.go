package saved

import (
	"encoding/json"
	"sort"

	"github.com/p2c/p2c/internal/awsmodel"
)

// requestFile recognises saved requests — what was sent to AWS, not what
// the account holds — and says what they are: AWS CLI --cli-input-json
// documents of a write operation, p2c emulator seeds, and lists of
// recorded calls.
func requestFile(b []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil || len(m) == 0 {
		return ""
	}
	if _, ok := m["seedVersion"]; ok {
		return "a p2c emulator seed (recorded create calls), not a saved read"
	}
	if calls, ok := m["calls"]; ok && len(calls) > 0 && calls[0] == '[' {
		return "a list of recorded API calls: what was sent, not what the account holds"
	}
	if op := inputOf(m); op != "" {
		return "an AWS CLI input (--cli-input-json) for " + op + ": a request, not a saved read"
	}
	if op := bodyOf(m); op != "" {
		return "an API request body for " + op + ": what was sent, not what the account holds"
	}
	return ""
}

// bodyOf names a write operation whose request body (its payload shape)
// has every top-level key of the document, when the document carries none
// of the members only a response has.
func bodyOf(m map[string]json.RawMessage) string {
	for _, k := range []string{"Id", "Arn", "CreationDate", "ApplicationId", "CreatedTimestamp"} {
		if _, ok := m[k]; ok {
			return ""
		}
	}
	var found []string
	model := awsmodel.MustLoad("pinpoint")
	for _, name := range model.OperationNames() {
		_, body := model.PayloadShape(model.InputShape(name))
		if body == nil || body.Type != "structure" {
			continue
		}
		all := true
		for k := range m {
			if _, ok := body.Members[k]; !ok {
				all = false
				break
			}
		}
		if all {
			found = append(found, name)
		}
	}
	if len(found) == 0 {
		return ""
	}
	sort.Strings(found)
	return found[0]
}

// inputOf names a write operation whose input members are exactly the
// document's top-level keys, including its payload member (so a bare
// object with one common key such as Name is not taken for a request).
func inputOf(m map[string]json.RawMessage) string {
	var found []string
	for _, svc := range []string{"pinpoint", "pinpoint-sms-voice-v2"} {
		model := awsmodel.MustLoad(svc)
		for _, name := range model.OperationNames() {
			in := model.InputShape(name)
			if in == nil || len(in.Members) == 0 {
				continue
			}
			all := true
			for k := range m {
				if _, ok := in.Members[k]; !ok {
					all = false
					break
				}
			}
			if !all {
				continue
			}
			payloadOK := in.Payload == ""
			if in.Payload != "" {
				_, payloadOK = m[in.Payload]
			}
			if payloadOK && (in.Payload != "" || len(m) > 1) {
				found = append(found, name)
			}
		}
	}
	if len(found) == 0 {
		return ""
	}
	sort.Strings(found)
	return found[0]
}

package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestIAMPolicyCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"iam-policy", "--for", "apply"}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var doc struct {
		Version   string
		Statement []struct {
			Sid    string
			Action []string
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout.String())
	}
	if doc.Version != "2012-10-17" || !strings.Contains(stdout.String(), `"profile:CreateSegmentDefinition"`) ||
		strings.Contains(stdout.String(), "mobiletargeting:") {
		t.Errorf("apply policy:\n%s", stdout.String())
	}

	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"iam-policy", "--for", "deploy"}, strings.NewReader(""), &stdout, &stderr); code != ExitUsage {
		t.Errorf("--for deploy: exit %d, stderr %s", code, stderr.String())
	}
}

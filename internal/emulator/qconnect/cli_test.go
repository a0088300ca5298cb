package qconnect_test

import (
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
)

// cliScript runs aws qconnect commands in order, in one Python process
// (see emutest.CLIBatch). Each step is a name followed by the command's
// arguments; a name starting with "!" marks a command that must fail,
// whose output is {"stderr": ...}. Outputs are returned by name.
func cliScript(t *testing.T, url string, steps ...[]string) map[string]map[string]any {
	t.Helper()
	cmds := make([][]string, len(steps))
	for i, st := range steps {
		cmds[i] = append([]string{"qconnect"}, st[1:]...)
	}
	res := emutest.CLIBatch(t, url, cmds...)
	out := map[string]map[string]any{}
	for i, r := range res {
		name := steps[i][0]
		if strings.HasPrefix(name, "!") {
			if r.Code == 0 {
				t.Fatalf("aws %s: succeeded, want an error", strings.Join(cmds[i], " "))
			}
			out[name] = map[string]any{"stderr": r.Stderr}
			continue
		}
		if r.Code != 0 {
			t.Fatalf("aws %s: exit %d\n%s%s", strings.Join(cmds[i], " "), r.Code, r.Stdout, r.Stderr)
		}
		out[name] = r.JSON(t)
	}
	return out
}

// TestCLI drives every implemented operation through aws qconnect.
func TestCLI(t *testing.T) {
	emutest.RequireCLI(t)
	e := newEnv(t, core.Options{})
	u := e.url
	with := func(args []string, more ...string) []string { return append(append([]string{}, args...), more...) }

	r := cliScript(t, u, []string{"kb", "create-knowledge-base", "--name", "p2c-us-east-1-message-templates", "--knowledge-base-type", "MESSAGE_TEMPLATES",
		"--description", "Message templates migrated from Amazon Pinpoint by p2c", "--tags", "p2c:source=pinpoint"})
	kbData := r["kb"]["knowledgeBase"].(map[string]any)
	kb, kbARN := kbData["knowledgeBaseId"].(string), kbData["knowledgeBaseArn"].(string)
	if kbData["status"] != "CREATE_IN_PROGRESS" {
		t.Fatalf("create kb: %v", kbData)
	}
	kbArg := []string{"--knowledge-base-id", kb}

	r = cliScript(t, u,
		with([]string{"get-kb", "get-knowledge-base"}, kbArg...),
		[]string{"list-kb", "list-knowledge-bases"},
		with([]string{"create", "create-message-template", "--name", "winback", "--channel-subtype", "SMS", "--language", "en_US",
			"--content", `{"sms":{"body":{"plainText":{"content":"Hi {{Attributes.Customer.FirstName}}, 20% off this week. Reply STOP to opt out."}}}}`,
			"--default-attributes", `{"customerProfileAttributes":{"firstName":"there"}}`, "--tags", "p2c:step=t1"}, kbArg...),
	)
	if r["get-kb"]["knowledgeBase"].(map[string]any)["status"] != "ACTIVE" || len(r["list-kb"]["knowledgeBaseSummaries"].([]any)) != 1 {
		t.Fatalf("kb reads: %v %v", r["get-kb"], r["list-kb"])
	}
	tpl := r["create"]["messageTemplate"].(map[string]any)
	id, tplARN := tpl["messageTemplateId"].(string), tpl["messageTemplateArn"].(string)
	tplArg := append([]string{"--message-template-id", id}, kbArg...)

	r = cliScript(t, u,
		with([]string{"update", "update-message-template", "--content", `{"sms":{"body":{"plainText":{"content":"Hi {{Attributes.Customer.FirstName}}, 25% off. Reply STOP to opt out."}}}}`}, tplArg...),
		with([]string{"metadata", "update-message-template-metadata", "--description", "Migrated from Amazon Pinpoint by p2c"}, tplArg...),
		[]string{"tag", "tag-resource", "--resource-arn", tplARN, "--tags", "p2c:plan=abc,team=growth"},
		with([]string{"version", "create-message-template-version"}, tplArg...),
		with([]string{"activate", "activate-message-template", "--version-number", "1"}, tplArg...),
		[]string{"untag", "untag-resource", "--resource-arn", tplARN, "--tag-keys", "team"},
		with([]string{"active", "get-message-template", "--message-template-id", id + ":$ACTIVE_VERSION"}, kbArg...),
		with([]string{"list", "list-message-templates"}, kbArg...),
		with([]string{"versions", "list-message-template-versions"}, tplArg...),
		with([]string{"render", "render-message-template", "--attributes", `{"customerProfileAttributes":{"firstName":"Ann"}}`}, tplArg...),
		[]string{"tpl-tags", "list-tags-for-resource", "--resource-arn", tplARN},
		[]string{"kb-tags", "list-tags-for-resource", "--resource-arn", kbARN},
		with([]string{"deactivate", "deactivate-message-template", "--version-number", "1"}, tplArg...),
		with([]string{"delete", "delete-message-template"}, tplArg...),
		with([]string{"delete-kb", "delete-knowledge-base"}, kbArg...),
		with([]string{"!get-kb", "get-knowledge-base"}, kbArg...),
	)
	if r["version"]["messageTemplate"].(map[string]any)["versionNumber"] != float64(1) {
		t.Fatalf("version: %v", r["version"])
	}
	active := r["active"]["messageTemplate"].(map[string]any)
	if active["isActive"] != true || active["versionNumber"] != float64(1) || active["description"] != "Migrated from Amazon Pinpoint by p2c" ||
		!strings.Contains(js(active["content"]), "25% off") {
		t.Fatalf("active version: %s", js(active))
	}
	if s := r["list"]["messageTemplateSummaries"].([]any); len(s) != 1 || s[0].(map[string]any)["activeVersionNumber"] != float64(1) {
		t.Fatalf("list templates: %s", js(r["list"]))
	}
	if v := r["versions"]["messageTemplateVersionSummaries"].([]any); len(v) != 1 {
		t.Fatalf("list versions: %s", js(r["versions"]))
	}
	if !strings.Contains(js(r["render"]["content"]), "Hi Ann, 25% off") {
		t.Fatalf("render: %s", js(r["render"]))
	}
	if js(r["tpl-tags"]["tags"]) != `{"p2c:plan":"abc","p2c:step":"t1"}` || js(r["kb-tags"]["tags"]) != `{"p2c:source":"pinpoint"}` {
		t.Fatalf("tags: %s %s", js(r["tpl-tags"]), js(r["kb-tags"]))
	}
	if r["deactivate"]["versionNumber"] != float64(1) {
		t.Fatalf("deactivate: %v", r["deactivate"])
	}
	// Errors reach the CLI with their code.
	if !strings.Contains(r["!get-kb"]["stderr"].(string), "ResourceNotFoundException") {
		t.Fatalf("get after delete: %v", r["!get-kb"])
	}
}

package blueprint

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/awsmodel"
)

// cfStep builds a step whose spec is checked against its operation's
// input shape, so the fixture is a plan a stage could have made.
func cfStep(t *testing.T, s Step, spec map[string]any) Step {
	t.Helper()
	m := awsmodel.MustLoad(s.Service)
	for _, pr := range m.Validate(m.Operations[s.Operation].Input.Shape, spec, true) {
		if strings.Contains(pr.String(), "{{") {
			continue // a placeholder apply fills in
		}
		t.Fatalf("fixture %s: %s", s.ID, pr)
	}
	s.Spec = Spec(spec)
	if s.Action == "" {
		s.Action = Create
	}
	if s.Rollback.Policy == "" {
		s.Rollback.Policy = RollbackDelete
	}
	return s
}

const cfKB = "{{step:knowledge-base/us-east-1/templates.arn}}"

// cfPlan covers every operation the export maps, with open and answered
// decisions and references between steps of one stack and across stacks.
func cfPlan(t *testing.T) (*Plan, *Decisions) {
	dom := "p2c-shop"
	steps := []Step{
		cfStep(t, Step{ID: "profiles-domain/us-east-1/p2c-shop", Region: "us-east-1", Kind: "profiles-domain", Name: dom, Service: "customer-profiles", Operation: "CreateDomain",
			Rollback: Rollback{Policy: RollbackRetain, Reason: "holds the migrated profiles"}},
			map[string]any{"DomainName": dom, "DefaultExpirationDays": 366, "Matching": map[string]any{"Enabled": false}, "Tags": map[string]any{"p2c": "true"}}),
		cfStep(t, Step{ID: "object-type/us-east-1/PinpointEndpoint", Region: "us-east-1", Kind: "object-type", Name: "PinpointEndpoint", Service: "customer-profiles", Operation: "PutProfileObjectType",
			DependsOn: []string{"profiles-domain/us-east-1/p2c-shop"}},
			map[string]any{"DomainName": dom, "ObjectTypeName": "PinpointEndpoint", "Description": "Pinpoint endpoints", "AllowProfileCreation": true,
				"Fields": map[string]any{
					"EndpointId": map[string]any{"Source": "_source.Id", "Target": "_profile.Attributes.EndpointId", "ContentType": "STRING"},
					"Email":      map[string]any{"Source": "_source.Address", "Target": "_profile.EmailAddress", "ContentType": "EMAIL_ADDRESS"},
				},
				"Keys": map[string]any{"EndpointId": []any{map[string]any{"StandardIdentifiers": []any{"PROFILE", "UNIQUE"}, "FieldNames": []any{"EndpointId"}}}}}),
		cfStep(t, Step{ID: "knowledge-base/us-east-1/templates", Region: "us-east-1", Kind: "knowledge-base", Name: "p2c-templates", Service: "qconnect", Operation: "CreateKnowledgeBase"},
			map[string]any{"name": "p2c-templates", "knowledgeBaseType": "MESSAGE_TEMPLATES", "clientToken": "p2c-templates", "tags": map[string]any{"p2c": "true"}}),
		cfStep(t, Step{ID: "message-template/us-east-1/welcome-email", Region: "us-east-1", Kind: "message-template", Name: "welcome", Service: "qconnect", Operation: "CreateMessageTemplate",
			DependsOn: []string{"knowledge-base/us-east-1/templates"}},
			map[string]any{"knowledgeBaseId": cfKB, "name": "welcome", "channelSubtype": "EMAIL",
				"content": map[string]any{"email": map[string]any{"subject": "Hi {{Attributes.Customer.FirstName}}",
					"body": map[string]any{"html": map[string]any{"content": "<p>Hello ${not a cfn variable} {{Attributes.Customer.FirstName}}</p>"}, "plainText": map[string]any{"content": "Hello"}}}},
				"defaultAttributes": map[string]any{"customerProfileAttributes": map[string]any{"firstName": "there", "custom": map[string]any{"tier": "basic"}}}}),
		cfStep(t, Step{ID: "message-template/us-east-1/otp-sms", Region: "us-east-1", Kind: "message-template", Name: "otp", Service: "qconnect", Operation: "CreateMessageTemplate"},
			map[string]any{"knowledgeBaseId": "{{decision:us-east-1.knowledge-base}}", "name": "otp", "channelSubtype": "SMS",
				"content": map[string]any{"sms": map[string]any{"body": map[string]any{"plainText": map[string]any{"content": "Your code"}}}}}),
		cfStep(t, Step{ID: "ses-configuration-set/us-east-1/p2c", Region: "us-east-1", Kind: "ses-configuration-set", Name: "p2c", Service: "sesv2", Operation: "CreateConfigurationSet"},
			map[string]any{"ConfigurationSetName": "p2c", "ReputationOptions": map[string]any{"ReputationMetricsEnabled": true}, "SendingOptions": map[string]any{"SendingEnabled": true}}),
		cfStep(t, Step{ID: "ses-event-destination/us-east-1/p2c/stream", Region: "us-east-1", Kind: "ses-event-destination", Name: "stream", Service: "sesv2", Operation: "CreateConfigurationSetEventDestination",
			DependsOn: []string{"ses-configuration-set/us-east-1/p2c"}},
			map[string]any{"ConfigurationSetName": "p2c", "EventDestinationName": "stream", "EventDestination": map[string]any{"Enabled": true, "MatchingEventTypes": []any{"SEND", "BOUNCE"},
				"KinesisFirehoseDestination": map[string]any{"IamRoleArn": "arn:aws:iam::111122223333:role/fh", "DeliveryStreamArn": "arn:aws:firehose:us-east-1:111122223333:deliverystream/s"}}}),
		cfStep(t, Step{ID: "eum-configuration-set/us-east-1/p2c-sms", Region: "us-east-1", Kind: "eum-configuration-set", Name: "p2c-sms", Service: "pinpoint-sms-voice-v2", Operation: "CreateConfigurationSet"},
			map[string]any{"ConfigurationSetName": "p2c-sms", "Tags": []any{map[string]any{"Key": "p2c", "Value": "true"}}}),
		cfStep(t, Step{ID: "eum-event-destination/us-east-1/p2c-sms/stream", Region: "us-east-1", Kind: "eum-event-destination", Name: "stream", Service: "pinpoint-sms-voice-v2", Operation: "CreateEventDestination"},
			map[string]any{"ConfigurationSetName": "p2c-sms", "EventDestinationName": "stream", "MatchingEventTypes": []any{"ALL"},
				"SnsDestination": map[string]any{"TopicArn": "arn:aws:sns:us-east-1:111122223333:events"}}),
		cfStep(t, Step{ID: "eum-event-destination/us-east-1/existing/stream", Region: "us-east-1", Kind: "eum-event-destination", Name: "stream", Service: "pinpoint-sms-voice-v2", Operation: "CreateEventDestination"},
			map[string]any{"ConfigurationSetName": "existing", "EventDestinationName": "stream", "MatchingEventTypes": []any{"ALL"},
				"SnsDestination": map[string]any{"TopicArn": "arn:aws:sns:us-east-1:111122223333:events"}}),
		cfStep(t, Step{ID: "phone-number-import/us-east-1/n1", Region: "us-east-1", Kind: "phone-number-import", Name: "+12065550100", Service: "connect", Operation: "ImportPhoneNumber",
			WaitsOn: []string{"us-east-1.import-number"}, Rollback: Rollback{Policy: RollbackRetain, Reason: "releasing it would break sending"}},
			map[string]any{"InstanceId": "{{decision:us-east-1.connect-instance}}", "SourcePhoneNumberArn": "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123", "PhoneNumberDescription": "migrated by p2c"}),
		cfStep(t, Step{ID: "email-address/us-east-1/news", Region: "us-east-1", Kind: "email-address", Name: "news", Service: "connect", Operation: "CreateEmailAddress"},
			map[string]any{"InstanceId": "{{decision:us-east-1.connect-instance}}", "EmailAddress": "{{decision:us-east-1.sender-email}}", "DisplayName": "News"}),
		cfStep(t, Step{ID: "instance-limits/us-east-1/limits", Region: "us-east-1", Kind: "instance-limits", Name: "limits", Action: Update, Service: "connectcampaignsv2", Operation: "PutInstanceCommunicationLimits"},
			map[string]any{"connectInstanceId": "{{decision:us-east-1.connect-instance|id}}", "communicationLimitsConfig": map[string]any{"allChannelSubtypes": map[string]any{"communicationLimitsList": []any{map[string]any{"maxCountPerRecipient": 3, "frequency": 1, "unit": "DAY"}}}}}),
		cfStep(t, Step{ID: "calculated-attribute/us-east-1/a1/opens", Region: "us-east-1", App: "a1", AppName: "Shop", Kind: "calculated-attribute", Name: "opens", Service: "customer-profiles", Operation: "CreateCalculatedAttributeDefinition",
			DependsOn: []string{"object-type/us-east-1/PinpointEndpoint"}},
			map[string]any{"DomainName": dom, "CalculatedAttributeName": "p2c_opens_a1", "Statistic": "COUNT",
				"AttributeDetails": map[string]any{"Attributes": []any{map[string]any{"Name": "PinpointEvent.EventType"}}, "Expression": "{PinpointEvent.EventType}"},
				"Conditions":       map[string]any{"Range": map[string]any{"Value": 30, "Unit": "DAYS"}}}),
		cfStep(t, Step{ID: "segment-definition/us-east-1/a1/vip", Region: "us-east-1", App: "a1", AppName: "Shop", Kind: "segment-definition", Name: "vip", Service: "customer-profiles", Operation: "CreateSegmentDefinition",
			DependsOn: []string{"calculated-attribute/us-east-1/a1/opens"}},
			map[string]any{"DomainName": dom, "SegmentDefinitionName": "p2c_vip", "DisplayName": "VIP",
				"SegmentGroups": map[string]any{"Include": "ALL", "Groups": []any{map[string]any{"Type": "ALL", "Dimensions": []any{
					map[string]any{"ProfileAttributes": map[string]any{"Attributes": map[string]any{"tier": map[string]any{"DimensionType": "INCLUSIVE", "Values": []any{"gold"}}}}},
					map[string]any{"CalculatedAttributes": map[string]any{"p2c_opens_a1": map[string]any{"DimensionType": "GREATER_THAN", "Values": []any{"2"}}}},
				}}}}}),
		cfStep(t, Step{ID: "event-trigger/us-east-1/a1/purchase", Region: "us-east-1", App: "a1", AppName: "Shop", Kind: "event-trigger", Name: "purchase", Service: "customer-profiles", Operation: "CreateEventTrigger"},
			map[string]any{"DomainName": dom, "EventTriggerName": "p2c_purchase", "ObjectTypeName": "PinpointEvent", "EventTriggerConditions": []any{
				map[string]any{"LogicalOperator": "ALL", "EventTriggerDimensions": []any{map[string]any{"ObjectAttributes": []any{map[string]any{"FieldName": "EventType", "ComparisonOperator": "INCLUSIVE", "Values": []any{"purchase"}}}}}}}}),
		cfStep(t, Step{ID: "campaign/us-east-1/a1/c1", Region: "us-east-1", App: "a1", AppName: "Shop", Kind: "campaign", Name: "Spring sale", Service: "connectcampaignsv2", Operation: "CreateCampaign",
			DependsOn: []string{"segment-definition/us-east-1/a1/vip", "message-template/us-east-1/welcome-email"}, WaitsOn: []string{"us-east-1.connect-instance"}},
			map[string]any{"name": "Spring sale", "connectInstanceId": "{{decision:us-east-1.connect-instance|id}}",
				"channelSubtypeConfig": map[string]any{"email": map[string]any{"outboundMode": map[string]any{"agentless": map[string]any{}},
					"defaultOutboundConfig": map[string]any{"connectSourceEmailAddress": "{{decision:us-east-1.sender-email}}",
						"wisdomTemplateArn": "{{step:message-template/us-east-1/welcome-email.arn}}:{{step:message-template/us-east-1/welcome-email.version}}"}}},
				"source":   map[string]any{"customerProfilesSegmentArn": "{{step:segment-definition/us-east-1/a1/vip.arn}}"},
				"schedule": map[string]any{"startTime": "2027-03-01T09:00:00Z", "endTime": "{{decision:us-east-1.cutover-time|plus:PT86400S}}", "refreshFrequency": "P1D"},
				"communicationTimeConfig": map[string]any{"localTimeZoneConfig": map[string]any{"defaultTimeZone": "America/New_York", "localTimeZoneDetection": []any{"ZIP_CODE"}},
					"email": map[string]any{"openHours": map[string]any{"dailyHours": map[string]any{"MONDAY": []any{map[string]any{"startTime": "T09:00", "endTime": "T17:00"}}}}}},
				"communicationLimitsOverride": map[string]any{"allChannelSubtypes": map[string]any{"communicationLimitsList": []any{map[string]any{"maxCountPerRecipient": 2, "frequency": 1, "unit": "DAY"}}}},
				"tags":                        map[string]any{"owner": "p2c"}}),
		cfStep(t, Step{ID: "campaign/us-east-1/a1/j1", Region: "us-east-1", App: "a1", AppName: "Shop", Kind: "journey-proposal", Name: "Onboarding", Service: "connectcampaignsv2", Operation: "CreateCampaign", Redesign: true},
			map[string]any{"name": "Onboarding", "connectInstanceId": "{{decision:us-east-1.connect-instance|id}}", "type": "JOURNEY",
				"source": map[string]any{"eventTrigger": map[string]any{"customerProfilesDomainArn": "arn:aws:profile:us-east-1:{{decision:us-east-1.connect-instance|account}}:domains/" + dom}}}),
		cfStep(t, Step{ID: "segment-definition/us-east-1/a1/existing", Region: "us-east-1", App: "a1", AppName: "Shop", Kind: "segment-definition", Name: "existing", Action: NoOp, Service: "customer-profiles", Operation: "CreateSegmentDefinition"},
			map[string]any{"DomainName": dom, "SegmentDefinitionName": "p2c_existing", "DisplayName": "existing"}),
	}
	p := &Plan{SchemaVersion: SchemaVersion, Steps: steps, OpenDecisions: []string{"us-east-1.connect-instance", "us-east-1.cutover-time", "us-east-1.import-number", "us-east-1.knowledge-base"}}
	p.Summary = summarize(p)
	d := &Decisions{Version: 1, Questions: []*Question{
		{Key: "us-east-1.connect-instance", Context: "Which Connect instance", Kind: KindConnectInstanceARN},
		{Key: "us-east-1.cutover-time", Context: "When the cut-over happens", Kind: KindText},
		{Key: "us-east-1.import-number", Context: "Import the number?", Kind: KindChoice, Choices: []string{"import", "keep"}},
		{Key: "us-east-1.knowledge-base", Context: "Which knowledge base", Kind: KindARN},
		{Key: "us-east-1.sender-email", Context: "From address", Kind: KindEmail, Answer: "news@example.com"},
	}}
	return p, d
}

func TestCloudFormationShapes(t *testing.T) {
	t.Parallel()
	p, d := cfPlan(t)
	files, err := CloudFormation(p, d)
	if err != nil {
		t.Fatal(err)
	}
	shared := cfTemplate(t, files, "p2c-us-east-1-shared.template.json")
	app := cfTemplate(t, files, "p2c-us-east-1-shop-a1.template.json")
	res := func(tpl map[string]any, id string) map[string]any {
		t.Helper()
		r, ok := tpl["Resources"].(map[string]any)[id].(map[string]any)
		if !ok {
			t.Fatalf("no resource %s in %v", id, keysOf(tpl["Resources"]))
		}
		return r
	}
	props := func(r map[string]any) string {
		b, _ := json.Marshal(r["Properties"])
		return string(b)
	}
	dom := res(shared, "ProfilesDomainP2cShop")
	if dom["Type"] != "AWS::CustomerProfiles::Domain" || dom["DeletionPolicy"] != "Retain" {
		t.Errorf("domain: %v", dom)
	}
	for id, wants := range map[string][]string{
		"ObjectTypePinpointEndpoint":   {`"Fields":[{"Name":"Email"`, `"ObjectTypeKeyList":[`, `"Keys":[{"Name":"EndpointId"`},
		"MessageTemplateWelcome":       {`"EmailMessageTemplateContent":{`, `"Headers":[]`, `"KnowledgeBaseArn":{"Fn::GetAtt":["KnowledgeBaseP2cTemplates","KnowledgeBaseArn"]}`, `"Custom":{"tier":"basic"}`, `"FirstName":"there"`},
		"MessageTemplateOtp":           {`"SmsMessageTemplateContent"`, `"KnowledgeBaseArn":{"Ref":"DecisionUsEast1KnowledgeBase"}`},
		"SesConfigurationSetP2c":       {`"Name":"p2c"`},
		"SesEventDestinationStream":    {`"IAMRoleARN":"arn:aws:iam::111122223333:role/fh"`, `"Name":"stream"`},
		"EumConfigurationSetP2cSms":    {`"EventDestinations":[{"Enabled":true,"EventDestinationName":"stream"`},
		"PhoneNumberImport12065550100": {`"TargetArn":{"Ref":"DecisionUsEast1ConnectInstance"}`, `"Description":"migrated by p2c"`},
		"EmailAddressNews":             {`"EmailAddress":"news@example.com"`, `"InstanceArn":{"Ref":"DecisionUsEast1ConnectInstance"}`},
	} {
		got := props(res(shared, id))
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %s:\n%s", id, w, got)
			}
		}
	}
	if !strings.Contains(props(res(shared, "MessageTemplateWelcome")), `${not a cfn variable}`) {
		t.Errorf("template text must be carried as is")
	}
	camp := props(res(app, "CampaignSpringSale"))
	for _, w := range []string{
		`"ConnectInstanceId":{"Fn::Select":[1,{"Fn::Split":["/",{"Ref":"DecisionUsEast1ConnectInstance"}]}]}`,
		`"CustomerProfilesSegmentArn":{"Fn::GetAtt":["SegmentDefinitionVip","SegmentDefinitionArn"]}`,
		`"ConnectSourceEmailAddress":"news@example.com"`,
		`"WisdomTemplateArn":{"Fn::ImportValue":{"Fn::Sub":"${StackP2cUsEast1Shared}-MessageTemplateWelcomeVersionMessageTemplateVersionArn"}}`,
		`"DailyHours":[{"Key":"MONDAY","Value":[{"EndTime":"T17:00","StartTime":"T09:00"}]}]`,
		`"AllChannelsSubtypes":{"CommunicationLimitList":[`,
		`"EndTime":{"Ref":"DecisionUsEast1CutoverTimePlusPT86400S"}`,
		`"Tags":[{"Key":"owner","Value":"p2c"}]`,
	} {
		if !strings.Contains(camp, w) {
			t.Errorf("campaign lacks %s:\n%s", w, camp)
		}
	}
	if _, ok := shared["Outputs"].(map[string]any)["MessageTemplateWelcomeVersionMessageTemplateVersionArn"]; !ok {
		t.Errorf("the shared stack must export what the app stack imports: %v", keysOf(shared["Outputs"]))
	}
	if dep := res(app, "SegmentDefinitionVip")["DependsOn"]; dep == nil {
		t.Errorf("same-stack dependencies must be DependsOn")
	}
	readme := string(files["README.txt"])
	for _, w := range []string{"instance-limits/us-east-1/limits", "eum-event-destination/us-east-1/existing/stream", "segment-definition/us-east-1/a1/existing", "redesign"} {
		if !strings.Contains(readme, w) {
			t.Errorf("README.txt lacks %s:\n%s", w, readme)
		}
	}
	cfLint(t, files)
}

func keysOf(v any) []string {
	m, _ := v.(map[string]any)
	return sortedKeys(m)
}

func cfTemplate(t *testing.T, files map[string][]byte, name string) map[string]any {
	t.Helper()
	b, ok := files[name]
	if !ok {
		t.Fatalf("no %s among %v", name, fileNames(files))
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func fileNames(files map[string][]byte) []string {
	var out []string
	for k := range files {
		out = append(out, k)
	}
	return out
}

// cfLint runs cfn-lint over every template; it skips where cfn-lint is
// absent.
func cfLint(t *testing.T, files map[string][]byte) {
	t.Helper()
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not on PATH: templates not linted")
	}
	dir := t.TempDir()
	var paths []string
	for name, b := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".template.json") {
			paths = append(paths, filepath.Join(dir, name))
		}
	}
	if len(paths) == 0 {
		return
	}
	cmd := exec.Command(bin, append([]string{"--format", "parseable", "--regions", "us-east-1", "--"}, paths...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}

// TestCloudFormationPlans: the templates of the golden plans pass
// cfn-lint, with decisions open and with every suggestion accepted (one
// cfn-lint run for all: its start-up is most of its time).
func TestCloudFormationPlans(t *testing.T) {
	all := map[string][]byte{}
	for _, name := range []string{"demo", "corpus"} {
		in := map[string]func(*testing.T) *rdInputs{"demo": rdDemoInputs, "corpus": rdCorpusInputs}[name]
		t.Run(name, func(t *testing.T) {
			inputs := in(t)
			for _, accept := range []bool{false, true} {
				p, d, _, _ := rdPlan(t, inputs, accept)
				files, err := CloudFormation(p, d)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := files["README.txt"]; !ok {
					t.Fatal("no README.txt")
				}
				again, _ := CloudFormation(p, d)
				for k, v := range files {
					if string(again[k]) != string(v) {
						t.Errorf("%s differs between two exports", k)
					}
					all[fmt.Sprintf("%s-%v/%s", name, accept, k)] = v
				}
			}
		})
	}
	cfLint(t, all)
}

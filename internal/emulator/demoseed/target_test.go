package demoseed

import (
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	connecttypes "github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/aws-sdk-go-v2/service/connectcampaignsv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/p2c/p2c/internal/emulator"
)

func TestTargetAlone(t *testing.T) {
	vars, err := emulator.New(emulator.Options{}).Apply(Target())
	if err != nil {
		t.Fatalf("apply target: %v", err)
	}
	for _, name := range []string{"target.us-east-1.instance", "target.eu-west-1.instance", "target.us-east-1.knowledge-base",
		"target.eu-west-1.knowledge-base", "target.us-east-1.number.tollfree", "target.us-east-1.number.tendlc1"} {
		if vars[name] == "" {
			t.Errorf("the target seed saves no %s", name)
		}
	}
	if vars["target.us-east-1.journey-flow.jrn.shop.cart"] != "" {
		t.Error("the target alone has journey flows, which stand for flows built for the demo's journeys")
	}
}

// TestDemoTarget reads the demo's target side back through the SDK
// clients, as p2c plan --check-existing and apply see it.
func TestDemoTarget(t *testing.T) {
	d := applyDemo(t)
	ctx := context.Background()
	for _, region := range []string{Region, EURegion} {
		t.Run(region, func(t *testing.T) {
			cc := connect.NewFromConfig(cfg(region), func(o *connect.Options) { o.BaseEndpoint = aws.String(d.url) })
			instID := d.vars[targetSave(region, "instance.id")]
			inst, err := cc.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: &instID})
			if err != nil {
				t.Fatalf("describe instance: %v", err)
			}
			if aws.ToString(inst.Instance.Arn) != d.vars[targetSave(region, "instance")] || inst.Instance.InstanceStatus != connecttypes.InstanceStatusActive {
				t.Errorf("instance = %s %s", aws.ToString(inst.Instance.Arn), inst.Instance.InstanceStatus)
			}
			attr, err := cc.DescribeInstanceAttribute(ctx, &connect.DescribeInstanceAttributeInput{InstanceId: &instID,
				AttributeType: connecttypes.InstanceAttributeTypeHighVolumeOutbound})
			if err != nil || aws.ToString(attr.Attribute.Value) != "true" {
				t.Errorf("HIGH_VOLUME_OUTBOUND: %v, %v", attr, err)
			}

			assocs, err := cc.ListIntegrationAssociations(ctx, &connect.ListIntegrationAssociationsInput{InstanceId: &instID})
			if err != nil {
				t.Fatalf("list integration associations: %v", err)
			}
			var got []string
			for _, a := range assocs.IntegrationAssociationSummaryList {
				got = append(got, string(a.IntegrationType)+" "+aws.ToString(a.IntegrationArn))
			}
			sort.Strings(got)
			want := []string{"Q_MESSAGE_TEMPLATES " + d.vars[targetSave(region, "knowledge-base")]}
			for _, tr := range targetRegions {
				if tr.region == region {
					for _, id := range tr.identities {
						want = append(want, "SES_IDENTITY "+sesIdentity(region, id.domain))
					}
				}
			}
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("integration associations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			cmp := connectcampaignsv2.NewFromConfig(cfg(region), func(o *connectcampaignsv2.Options) { o.BaseEndpoint = aws.String(d.url) })
			if _, err := cmp.GetConnectInstanceConfig(ctx, &connectcampaignsv2.GetConnectInstanceConfigInput{ConnectInstanceId: &instID}); err != nil {
				t.Errorf("outbound campaigns not enabled: %v", err)
			}

			ses := sesv2.NewFromConfig(cfg(region), func(o *sesv2.Options) { o.BaseEndpoint = aws.String(d.url) })
			acct, err := ses.GetAccount(ctx, &sesv2.GetAccountInput{})
			if err != nil || !acct.ProductionAccessEnabled {
				t.Errorf("SES production access: %v, %v", acct, err)
			}
			for _, tr := range targetRegions {
				if tr.region != region {
					continue
				}
				for _, id := range tr.identities {
					ident, err := ses.GetEmailIdentity(ctx, &sesv2.GetEmailIdentityInput{EmailIdentity: aws.String(id.domain)})
					if err != nil || !ident.VerifiedForSendingStatus {
						t.Errorf("identity %s not verified: %v", id.domain, err)
					}
				}
				for _, cs := range tr.configSets {
					if _, err := ses.GetConfigurationSet(ctx, &sesv2.GetConfigurationSetInput{ConfigurationSetName: aws.String(cs)}); err != nil {
						t.Errorf("configuration set %s: %v", cs, err)
					}
				}
			}
		})
	}

	// Numbers: the SMS senders imported and claimed; flows for journeys.
	cc := connect.NewFromConfig(cfg(Region), func(o *connect.Options) { o.BaseEndpoint = aws.String(d.url) })
	instARN := d.vars[targetSave(Region, "instance")]
	nums, err := cc.ListPhoneNumbersV2(ctx, &connect.ListPhoneNumbersV2Input{TargetArn: &instARN})
	if err != nil {
		t.Fatalf("list phone numbers: %v", err)
	}
	src := map[string]bool{}
	for _, n := range nums.ListPhoneNumbersSummaryList {
		src[aws.ToString(n.SourcePhoneNumberArn)] = true
		pn, err := cc.DescribePhoneNumber(ctx, &connect.DescribePhoneNumberInput{PhoneNumberId: n.PhoneNumberId})
		if err != nil {
			t.Fatalf("describe phone number: %v", err)
		}
		if st := pn.ClaimedPhoneNumberSummary.PhoneNumberStatus; st == nil || st.Status != connecttypes.PhoneNumberWorkflowStatusClaimed {
			t.Errorf("number %s is not CLAIMED: %+v", aws.ToString(n.PhoneNumber), st)
		}
	}
	if len(src) != 2 || !src[d.vars["phone.tollfree.arn"]] || !src[d.vars["phone.tendlc1.arn"]] {
		t.Errorf("imported numbers come from %v, want the toll-free and first 10DLC numbers", src)
	}
	instID := d.vars[targetSave(Region, "instance.id")]
	flows, err := cc.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: &instID, ContactFlowTypes: []connecttypes.ContactFlowType{connecttypes.ContactFlowTypeCampaign}})
	if err != nil {
		t.Fatalf("list flows: %v", err)
	}
	if len(flows.ContactFlowSummaryList) != len(targetRegions[0].journeyFlows) {
		t.Errorf("%d CAMPAIGN flows, want %d", len(flows.ContactFlowSummaryList), len(targetRegions[0].journeyFlows))
	}
}

// TestSMSSendersMatchDemo checks smsSenders against the origination
// numbers the demo's campaigns and journeys name.
func TestSMSSendersMatchDemo(t *testing.T) {
	ref := regexp.MustCompile(`\$\{phone\.([a-z0-9]+)\.number\}`)
	got := map[string]string{}
	for _, c := range Demo().Calls {
		if c.Operation != "CreateCampaign" && c.Operation != "CreateJourney" || c.Service != "pinpoint" {
			continue
		}
		raw, _ := json.Marshal(c.Input)
		m := ref.FindSubmatch(raw)
		if m == nil {
			continue
		}
		for name := range c.Save {
			got[name] = string(m[1])
		}
	}
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(smsSenders)
	if string(a) != string(b) {
		t.Errorf("the demo's SMS senders are %s, smsSenders says %s", a, b)
	}
}

func TestDemoAnswers(t *testing.T) {
	d := applyDemo(t)
	v := d.vars
	open := []string{
		"us-east-1.connect-instance", "eu-west-1.connect-instance", "us-east-1.connect-instance." + v[appRetail],
		"us-east-1.knowledge-base",
		"us-east-1.import-number." + v["phone.tollfree"], "us-east-1.import-number." + v["phone.tendlc2"],
		"us-east-1.sms-number", "us-east-1.sms-number." + v["camp.pay.fraud"], "us-east-1.sms-number." + v["camp.rewards.birthday"],
		"us-east-1.journey-flow." + v["jrn.shop.cart"], "us-east-1.journey-flow." + v["jrn.pay.welcome"],
		"us-east-1.journey-contact-flow." + v["jrn.pay.collections"],
		"us-east-1.journey-end." + v["jrn.pay.welcome"],
		"us-east-1.event-destination." + v[appPay],
		"us-east-1.cutover-time",
	}
	got := DemoAnswers(v, open)
	want := map[string]string{
		"us-east-1.connect-instance":                                 v["target.us-east-1.instance"],
		"eu-west-1.connect-instance":                                 v["target.eu-west-1.instance"],
		"us-east-1.knowledge-base":                                   v["target.us-east-1.knowledge-base"],
		"us-east-1.import-number." + v["phone.tollfree"]:             "no",
		"us-east-1.sms-number":                                       v["target.us-east-1.number.tendlc1"],
		"us-east-1.sms-number." + v["camp.pay.fraud"]:                v["target.us-east-1.number.tollfree"],
		"us-east-1.journey-flow." + v["jrn.shop.cart"]:               v["target.us-east-1.journey-flow.jrn.shop.cart"],
		"us-east-1.journey-contact-flow." + v["jrn.pay.collections"]: v["target.us-east-1.call-flow.jrn.pay.collections"],
		"us-east-1.journey-end." + v["jrn.pay.welcome"]:              journeyEnd,
		"us-east-1.event-destination." + v[appPay]:                   "arn:aws:firehose:us-east-1:" + Account + ":deliverystream/northwind-pay-events",
	}
	for k, w := range want {
		if w == "" {
			t.Errorf("%s: the demo saved nothing to answer with", k)
		}
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s answered %q, want it left open", k, g)
		}
	}
	if !regexp.MustCompile(`^arn:aws:connect:us-east-1:\d{12}:phone-number/[0-9a-f-]{36}$`).MatchString(got["us-east-1.sms-number"]) {
		t.Errorf("sms-number answer %q is not a Connect phone number ARN", got["us-east-1.sms-number"])
	}
}

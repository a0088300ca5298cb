package pinpoint_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"

	"github.com/p2c/p2c/internal/emulator"
)

// templateOps drives one template type through its typed operations. body
// is a distinguishing text that get reports back.
type templateOps struct {
	typ    string
	create func(name, body string) error
	update func(name, body string, newVersion bool, version *string) error
	get    func(name string, version *string) (body, ver string, err error)
	del    func(name string, version *string) error
}

func templateKinds(c *pinpoint.Client) []templateOps {
	return []templateOps{
		{typ: "EMAIL",
			create: func(n, b string) error {
				_, err := c.CreateEmailTemplate(ctx, &pinpoint.CreateEmailTemplateInput{TemplateName: &n, EmailTemplateRequest: &types.EmailTemplateRequest{
					Subject: aws.String("Hi {{User.UserAttributes.FirstName}}"), HtmlPart: aws.String(b), TextPart: aws.String("t"), DefaultSubstitutions: aws.String(`{"User.UserAttributes.FirstName":"there"}`),
					Headers: []types.MessageHeader{{Name: aws.String("List-Unsubscribe"), Value: aws.String("<mailto:u@example.com>")}}}})
				return err
			},
			update: func(n, b string, nv bool, ver *string) error {
				_, err := c.UpdateEmailTemplate(ctx, &pinpoint.UpdateEmailTemplateInput{TemplateName: &n, CreateNewVersion: &nv, Version: ver, EmailTemplateRequest: &types.EmailTemplateRequest{HtmlPart: aws.String(b)}})
				return err
			},
			get: func(n string, ver *string) (string, string, error) {
				out, err := c.GetEmailTemplate(ctx, &pinpoint.GetEmailTemplateInput{TemplateName: &n, Version: ver})
				if err != nil {
					return "", "", err
				}
				return aws.ToString(out.EmailTemplateResponse.HtmlPart), aws.ToString(out.EmailTemplateResponse.Version), nil
			},
			del: func(n string, ver *string) error {
				_, err := c.DeleteEmailTemplate(ctx, &pinpoint.DeleteEmailTemplateInput{TemplateName: &n, Version: ver})
				return err
			}},
		{typ: "SMS",
			create: func(n, b string) error {
				_, err := c.CreateSmsTemplate(ctx, &pinpoint.CreateSmsTemplateInput{TemplateName: &n, SMSTemplateRequest: &types.SMSTemplateRequest{Body: &b, TemplateDescription: aws.String("d")}})
				return err
			},
			update: func(n, b string, nv bool, ver *string) error {
				_, err := c.UpdateSmsTemplate(ctx, &pinpoint.UpdateSmsTemplateInput{TemplateName: &n, CreateNewVersion: &nv, Version: ver, SMSTemplateRequest: &types.SMSTemplateRequest{Body: &b}})
				return err
			},
			get: func(n string, ver *string) (string, string, error) {
				out, err := c.GetSmsTemplate(ctx, &pinpoint.GetSmsTemplateInput{TemplateName: &n, Version: ver})
				if err != nil {
					return "", "", err
				}
				return aws.ToString(out.SMSTemplateResponse.Body), aws.ToString(out.SMSTemplateResponse.Version), nil
			},
			del: func(n string, ver *string) error {
				_, err := c.DeleteSmsTemplate(ctx, &pinpoint.DeleteSmsTemplateInput{TemplateName: &n, Version: ver})
				return err
			}},
		{typ: "PUSH",
			create: func(n, b string) error {
				_, err := c.CreatePushTemplate(ctx, &pinpoint.CreatePushTemplateInput{TemplateName: &n, PushNotificationTemplateRequest: &types.PushNotificationTemplateRequest{
					Default: &types.DefaultPushNotificationTemplate{Body: &b, Title: aws.String("T"), Action: types.ActionDeepLink, Url: aws.String("shop://x")},
					APNS:    &types.APNSPushNotificationTemplate{Sound: aws.String("default")}}})
				return err
			},
			update: func(n, b string, nv bool, ver *string) error {
				_, err := c.UpdatePushTemplate(ctx, &pinpoint.UpdatePushTemplateInput{TemplateName: &n, CreateNewVersion: &nv, Version: ver, PushNotificationTemplateRequest: &types.PushNotificationTemplateRequest{
					Default: &types.DefaultPushNotificationTemplate{Body: &b}}})
				return err
			},
			get: func(n string, ver *string) (string, string, error) {
				out, err := c.GetPushTemplate(ctx, &pinpoint.GetPushTemplateInput{TemplateName: &n, Version: ver})
				if err != nil {
					return "", "", err
				}
				r := out.PushNotificationTemplateResponse
				if r.Default == nil {
					return "", aws.ToString(r.Version), nil
				}
				return aws.ToString(r.Default.Body), aws.ToString(r.Version), nil
			},
			del: func(n string, ver *string) error {
				_, err := c.DeletePushTemplate(ctx, &pinpoint.DeletePushTemplateInput{TemplateName: &n, Version: ver})
				return err
			}},
		{typ: "VOICE",
			create: func(n, b string) error {
				_, err := c.CreateVoiceTemplate(ctx, &pinpoint.CreateVoiceTemplateInput{TemplateName: &n, VoiceTemplateRequest: &types.VoiceTemplateRequest{
					Body: &b, LanguageCode: aws.String("en-US"), VoiceId: aws.String("Joanna")}})
				return err
			},
			update: func(n, b string, nv bool, ver *string) error {
				_, err := c.UpdateVoiceTemplate(ctx, &pinpoint.UpdateVoiceTemplateInput{TemplateName: &n, CreateNewVersion: &nv, Version: ver, VoiceTemplateRequest: &types.VoiceTemplateRequest{Body: &b}})
				return err
			},
			get: func(n string, ver *string) (string, string, error) {
				out, err := c.GetVoiceTemplate(ctx, &pinpoint.GetVoiceTemplateInput{TemplateName: &n, Version: ver})
				if err != nil {
					return "", "", err
				}
				return aws.ToString(out.VoiceTemplateResponse.Body), aws.ToString(out.VoiceTemplateResponse.Version), nil
			},
			del: func(n string, ver *string) error {
				_, err := c.DeleteVoiceTemplate(ctx, &pinpoint.DeleteVoiceTemplateInput{TemplateName: &n, Version: ver})
				return err
			}},
		{typ: "INAPP",
			create: func(n, b string) error {
				_, err := c.CreateInAppTemplate(ctx, &pinpoint.CreateInAppTemplateInput{TemplateName: &n, InAppTemplateRequest: &types.InAppTemplateRequest{
					Layout: types.LayoutTopBanner, Content: []types.InAppMessageContent{{BodyConfig: &types.InAppMessageBodyConfig{Body: &b, Alignment: types.AlignmentLeft, TextColor: aws.String("#000000")}}}}})
				return err
			},
			update: func(n, b string, nv bool, ver *string) error {
				_, err := c.UpdateInAppTemplate(ctx, &pinpoint.UpdateInAppTemplateInput{TemplateName: &n, CreateNewVersion: &nv, Version: ver, InAppTemplateRequest: &types.InAppTemplateRequest{
					Layout: types.LayoutTopBanner, Content: []types.InAppMessageContent{{BodyConfig: &types.InAppMessageBodyConfig{Body: &b, Alignment: types.AlignmentLeft, TextColor: aws.String("#000000")}}}}})
				return err
			},
			get: func(n string, ver *string) (string, string, error) {
				out, err := c.GetInAppTemplate(ctx, &pinpoint.GetInAppTemplateInput{TemplateName: &n, Version: ver})
				if err != nil {
					return "", "", err
				}
				r := out.InAppTemplateResponse
				if len(r.Content) == 0 || r.Content[0].BodyConfig == nil {
					return "", aws.ToString(r.Version), nil
				}
				return aws.ToString(r.Content[0].BodyConfig.Body), aws.ToString(r.Version), nil
			},
			del: func(n string, ver *string) error {
				_, err := c.DeleteInAppTemplate(ctx, &pinpoint.DeleteInAppTemplateInput{TemplateName: &n, Version: ver})
				return err
			}},
	}
}

func TestTemplates(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	for _, k := range templateKinds(v.pp) {
		t.Run(k.typ, func(t *testing.T) {
			name := "welcome-" + k.typ
			must(t, k.create(name, "v1"), "create")
			if err := k.create(name, "again"); err == nil {
				t.Fatalf("creating %s twice: no error", name)
			} else {
				wantErr[*types.BadRequestException](t, err, "create twice")
			}
			// Update in place, then add versions 2 and 3.
			must(t, k.update(name, "v1b", false, nil), "update in place")
			must(t, k.update(name, "v2", true, nil), "new version 2")
			must(t, k.update(name, "v3", true, nil), "new version 3")
			check := func(ver *string, wantBody, wantVer string) {
				t.Helper()
				body, gotVer, err := k.get(name, ver)
				must(t, err, "get version "+aws.ToString(ver))
				if body != wantBody || gotVer != wantVer {
					t.Errorf("get %s version %q: body %q version %q, want %q %q", name, aws.ToString(ver), body, gotVer, wantBody, wantVer)
				}
			}
			// The active version stays 1 until it is changed.
			check(nil, "v1b", "1")
			check(aws.String("2"), "v2", "2")
			check(aws.String("3"), "v3", "3")
			_, _, err := k.get(name, aws.String("9"))
			wantErr[*types.NotFoundException](t, err, "get version 9")
			vs, err := v.pp.ListTemplateVersions(ctx, &pinpoint.ListTemplateVersionsInput{TemplateName: &name, TemplateType: aws.String(k.typ)})
			must(t, err, "list template versions")
			var got []string
			for _, it := range vs.TemplateVersionsResponse.Item {
				got = append(got, aws.ToString(it.Version))
				if aws.ToString(it.TemplateType) != k.typ || aws.ToString(it.TemplateName) != name {
					t.Errorf("template version item %+v", it)
				}
			}
			if fmt.Sprint(got) != "[1 2 3]" {
				t.Errorf("versions %v, want [1 2 3]", got)
			}
			_, err = v.pp.UpdateTemplateActiveVersion(ctx, &pinpoint.UpdateTemplateActiveVersionInput{TemplateName: &name, TemplateType: aws.String(k.typ),
				TemplateActiveVersionRequest: &types.TemplateActiveVersionRequest{Version: aws.String("2")}})
			must(t, err, "activate version 2")
			check(nil, "v2", "2")
			_, err = v.pp.UpdateTemplateActiveVersion(ctx, &pinpoint.UpdateTemplateActiveVersionInput{TemplateName: &name, TemplateType: aws.String(k.typ),
				TemplateActiveVersionRequest: &types.TemplateActiveVersionRequest{Version: aws.String("8")}})
			wantErr[*types.NotFoundException](t, err, "activate version 8")
			// Updating a named version changes only that one.
			must(t, k.update(name, "v3b", false, aws.String("3")), "update version 3")
			check(aws.String("3"), "v3b", "3")
			check(nil, "v2", "2")
			wantErr[*types.BadRequestException](t, k.del(name, aws.String("2")), "delete the active version")
			must(t, k.del(name, aws.String("3")), "delete version 3")
			_, _, err = k.get(name, aws.String("3"))
			wantErr[*types.NotFoundException](t, err, "get deleted version 3")
			wantErr[*types.NotFoundException](t, k.del(name, aws.String("3")), "delete version 3 twice")
			must(t, k.del(name, nil), "delete template")
			_, _, err = k.get(name, nil)
			wantErr[*types.NotFoundException](t, err, "get deleted template")
			wantErr[*types.NotFoundException](t, k.update(name, "x", false, nil), "update deleted template")
			wantErr[*types.BadRequestException](t, k.create("bad name!", "x"), "create with a bad name")
		})
	}
	// Template bodies the service refuses.
	_, err := v.pp.CreateEmailTemplate(ctx, &pinpoint.CreateEmailTemplateInput{TemplateName: aws.String("empty"), EmailTemplateRequest: &types.EmailTemplateRequest{Subject: aws.String("s")}})
	wantErr[*types.BadRequestException](t, err, "email template without a part")
	_, err = v.pp.CreateSmsTemplate(ctx, &pinpoint.CreateSmsTemplateInput{TemplateName: aws.String("subs"), SMSTemplateRequest: &types.SMSTemplateRequest{Body: aws.String("b"), DefaultSubstitutions: aws.String("not json")}})
	wantErr[*types.BadRequestException](t, err, "template with non-JSON default substitutions")
	_, err = v.pp.ListTemplates(ctx, &pinpoint.ListTemplatesInput{TemplateType: aws.String("FAX")})
	wantErr[*types.BadRequestException](t, err, "list templates of type FAX")
	// Same name, different types: two templates.
	for _, k := range templateKinds(v.pp) {
		must(t, k.create("shared", "b"), "create shared "+k.typ)
	}
	l, err := v.pp.ListTemplates(ctx, &pinpoint.ListTemplatesInput{})
	must(t, err, "list templates")
	if n := len(l.TemplatesResponse.Item); n != 5 {
		t.Errorf("list templates: %d items, want 5", n)
	}
	for _, it := range l.TemplatesResponse.Item {
		if aws.ToString(it.Arn) != "arn:aws:mobiletargeting:us-east-1:111122223333:templates/shared/"+string(it.TemplateType) {
			t.Errorf("template arn %s for type %s", aws.ToString(it.Arn), it.TemplateType)
		}
	}
}

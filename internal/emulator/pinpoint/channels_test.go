package pinpoint_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"

	"github.com/p2c/p2c/internal/emulator"
)

// channelCase drives one channel through update, get, raw get and delete.
type channelCase struct {
	path     string // URI segment, also the key of the raw GET
	platform string // key in GetChannels
	secrets  []string
	update   func(c *pinpoint.Client, app string) error
	// get returns the flags the response carries: HasCredential,
	// HasTokenKey (APNS) or HasFcmServiceCredentials (GCM).
	get func(c *pinpoint.Client, app string) (map[string]bool, error)
	del func(c *pinpoint.Client, app string) error
}

func apnsFlags(hasCred, hasToken *bool, method *string) map[string]bool {
	return map[string]bool{"HasCredential": aws.ToBool(hasCred), "HasTokenKey": aws.ToBool(hasToken), "token": aws.ToString(method) == "TOKEN"}
}

func channelCases() []channelCase {
	const cert, pkey, tkey = "SECRET-CERT-1", "SECRET-PKEY-2", "SECRET-TOKENKEY-3"
	return []channelCase{
		{path: "email", platform: "EMAIL",
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateEmailChannel(ctx, &pinpoint.UpdateEmailChannelInput{ApplicationId: &app, EmailChannelRequest: &types.EmailChannelRequest{
					FromAddress: aws.String("shop@example.com"), Identity: aws.String("arn:aws:ses:us-east-1:111122223333:identity/example.com"),
					ConfigurationSet: aws.String("cs"), Enabled: aws.Bool(true)}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetEmailChannel(ctx, &pinpoint.GetEmailChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				r := out.EmailChannelResponse
				ok := aws.ToString(r.FromAddress) == "shop@example.com" && aws.ToString(r.ConfigurationSet) == "cs" && aws.ToString(r.Platform) == "EMAIL"
				return map[string]bool{"fields": ok}, nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteEmailChannel(ctx, &pinpoint.DeleteEmailChannelInput{ApplicationId: &app})
				return err
			}},
		{path: "sms", platform: "SMS",
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateSmsChannel(ctx, &pinpoint.UpdateSmsChannelInput{ApplicationId: &app, SMSChannelRequest: &types.SMSChannelRequest{
					SenderId: aws.String("SHOP"), ShortCode: aws.String("12345"), Enabled: aws.Bool(true)}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetSmsChannel(ctx, &pinpoint.GetSmsChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				r := out.SMSChannelResponse
				return map[string]bool{"fields": aws.ToString(r.SenderId) == "SHOP" && aws.ToString(r.ShortCode) == "12345" && aws.ToBool(r.Enabled)}, nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteSmsChannel(ctx, &pinpoint.DeleteSmsChannelInput{ApplicationId: &app})
				return err
			}},
		{path: "voice", platform: "VOICE",
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateVoiceChannel(ctx, &pinpoint.UpdateVoiceChannelInput{ApplicationId: &app, VoiceChannelRequest: &types.VoiceChannelRequest{Enabled: aws.Bool(true)}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetVoiceChannel(ctx, &pinpoint.GetVoiceChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				return map[string]bool{"fields": aws.ToString(out.VoiceChannelResponse.Platform) == "VOICE"}, nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteVoiceChannel(ctx, &pinpoint.DeleteVoiceChannelInput{ApplicationId: &app})
				return err
			}},
		{path: "apns", platform: "APNS", secrets: []string{cert, pkey, tkey},
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateApnsChannel(ctx, &pinpoint.UpdateApnsChannelInput{ApplicationId: &app, APNSChannelRequest: &types.APNSChannelRequest{
					Certificate: aws.String(cert), PrivateKey: aws.String(pkey), TokenKey: aws.String(tkey), TokenKeyId: aws.String("KEYID"),
					TeamId: aws.String("TEAM"), BundleId: aws.String("com.example.shop"), DefaultAuthenticationMethod: aws.String("TOKEN")}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetApnsChannel(ctx, &pinpoint.GetApnsChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				r := out.APNSChannelResponse
				return apnsFlags(r.HasCredential, r.HasTokenKey, r.DefaultAuthenticationMethod), nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteApnsChannel(ctx, &pinpoint.DeleteApnsChannelInput{ApplicationId: &app})
				return err
			}},
		{path: "apns_sandbox", platform: "APNS_SANDBOX", secrets: []string{cert, pkey, tkey},
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateApnsSandboxChannel(ctx, &pinpoint.UpdateApnsSandboxChannelInput{ApplicationId: &app, APNSSandboxChannelRequest: &types.APNSSandboxChannelRequest{
					Certificate: aws.String(cert), PrivateKey: aws.String(pkey), TokenKey: aws.String(tkey), TokenKeyId: aws.String("KEYID"),
					TeamId: aws.String("TEAM"), BundleId: aws.String("com.example.shop"), DefaultAuthenticationMethod: aws.String("TOKEN")}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetApnsSandboxChannel(ctx, &pinpoint.GetApnsSandboxChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				r := out.APNSSandboxChannelResponse
				return apnsFlags(r.HasCredential, r.HasTokenKey, r.DefaultAuthenticationMethod), nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteApnsSandboxChannel(ctx, &pinpoint.DeleteApnsSandboxChannelInput{ApplicationId: &app})
				return err
			}},
		{path: "apns_voip", platform: "APNS_VOIP", secrets: []string{cert, pkey, tkey},
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateApnsVoipChannel(ctx, &pinpoint.UpdateApnsVoipChannelInput{ApplicationId: &app, APNSVoipChannelRequest: &types.APNSVoipChannelRequest{
					Certificate: aws.String(cert), PrivateKey: aws.String(pkey), TokenKey: aws.String(tkey), TokenKeyId: aws.String("KEYID"),
					TeamId: aws.String("TEAM"), BundleId: aws.String("com.example.shop"), DefaultAuthenticationMethod: aws.String("TOKEN")}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetApnsVoipChannel(ctx, &pinpoint.GetApnsVoipChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				r := out.APNSVoipChannelResponse
				return apnsFlags(r.HasCredential, r.HasTokenKey, r.DefaultAuthenticationMethod), nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteApnsVoipChannel(ctx, &pinpoint.DeleteApnsVoipChannelInput{ApplicationId: &app})
				return err
			}},
		{path: "apns_voip_sandbox", platform: "APNS_VOIP_SANDBOX", secrets: []string{cert, pkey, tkey},
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateApnsVoipSandboxChannel(ctx, &pinpoint.UpdateApnsVoipSandboxChannelInput{ApplicationId: &app, APNSVoipSandboxChannelRequest: &types.APNSVoipSandboxChannelRequest{
					Certificate: aws.String(cert), PrivateKey: aws.String(pkey), TokenKey: aws.String(tkey), TokenKeyId: aws.String("KEYID"),
					TeamId: aws.String("TEAM"), BundleId: aws.String("com.example.shop"), DefaultAuthenticationMethod: aws.String("TOKEN")}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetApnsVoipSandboxChannel(ctx, &pinpoint.GetApnsVoipSandboxChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				r := out.APNSVoipSandboxChannelResponse
				return apnsFlags(r.HasCredential, r.HasTokenKey, r.DefaultAuthenticationMethod), nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteApnsVoipSandboxChannel(ctx, &pinpoint.DeleteApnsVoipSandboxChannelInput{ApplicationId: &app})
				return err
			}},
		{path: "gcm", platform: "GCM", secrets: []string{"SECRET-GCM-APIKEY", "SECRET-GCM-SERVICEJSON"},
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateGcmChannel(ctx, &pinpoint.UpdateGcmChannelInput{ApplicationId: &app, GCMChannelRequest: &types.GCMChannelRequest{
					ApiKey: aws.String("SECRET-GCM-APIKEY"), ServiceJson: aws.String(`{"private_key":"SECRET-GCM-SERVICEJSON"}`), DefaultAuthenticationMethod: aws.String("TOKEN")}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetGcmChannel(ctx, &pinpoint.GetGcmChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				r := out.GCMChannelResponse
				return map[string]bool{"HasCredential": aws.ToBool(r.HasCredential), "HasFcmServiceCredentials": aws.ToBool(r.HasFcmServiceCredentials),
					"token": aws.ToString(r.DefaultAuthenticationMethod) == "TOKEN", "noCredential": r.Credential == nil}, nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteGcmChannel(ctx, &pinpoint.DeleteGcmChannelInput{ApplicationId: &app})
				return err
			}},
		{path: "baidu", platform: "BAIDU", secrets: []string{"SECRET-BAIDU-APIKEY", "SECRET-BAIDU-SECRETKEY"},
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateBaiduChannel(ctx, &pinpoint.UpdateBaiduChannelInput{ApplicationId: &app, BaiduChannelRequest: &types.BaiduChannelRequest{
					ApiKey: aws.String("SECRET-BAIDU-APIKEY"), SecretKey: aws.String("SECRET-BAIDU-SECRETKEY")}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetBaiduChannel(ctx, &pinpoint.GetBaiduChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				r := out.BaiduChannelResponse
				return map[string]bool{"HasCredential": aws.ToBool(r.HasCredential), "noCredential": r.Credential == nil}, nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteBaiduChannel(ctx, &pinpoint.DeleteBaiduChannelInput{ApplicationId: &app})
				return err
			}},
		{path: "adm", platform: "ADM", secrets: []string{"SECRET-ADM-CLIENTSECRET"},
			update: func(c *pinpoint.Client, app string) error {
				_, err := c.UpdateAdmChannel(ctx, &pinpoint.UpdateAdmChannelInput{ApplicationId: &app, ADMChannelRequest: &types.ADMChannelRequest{
					ClientId: aws.String("amzn1.application-oa2-client.1"), ClientSecret: aws.String("SECRET-ADM-CLIENTSECRET")}})
				return err
			},
			get: func(c *pinpoint.Client, app string) (map[string]bool, error) {
				out, err := c.GetAdmChannel(ctx, &pinpoint.GetAdmChannelInput{ApplicationId: &app})
				if err != nil {
					return nil, err
				}
				return map[string]bool{"HasCredential": aws.ToBool(out.ADMChannelResponse.HasCredential)}, nil
			},
			del: func(c *pinpoint.Client, app string) error {
				_, err := c.DeleteAdmChannel(ctx, &pinpoint.DeleteAdmChannelInput{ApplicationId: &app})
				return err
			}},
	}
}

func TestChannels(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("channels")
	cases := channelCases()
	if len(cases) != 10 {
		t.Fatalf("%d channel cases, want 10", len(cases))
	}
	for _, ch := range cases {
		if err := ch.update(v.pp, app); err != nil {
			t.Fatalf("update %s channel: %v", ch.path, err)
		}
		// A second update keeps what the first set and bumps the version.
		if err := ch.update(v.pp, app); err != nil {
			t.Fatalf("update %s channel again: %v", ch.path, err)
		}
		flags, err := ch.get(v.pp, app)
		if err != nil {
			t.Fatalf("get %s channel: %v", ch.path, err)
		}
		for k, ok := range flags {
			if !ok {
				t.Errorf("%s channel: %s is false, want true (flags %v)", ch.path, k, flags)
			}
		}
		status, _, body := v.raw("GET", "/v1/apps/"+app+"/channels/"+ch.path, "")
		if status != 200 {
			t.Fatalf("raw GET %s channel: %d %s", ch.path, status, body)
		}
		for _, sec := range ch.secrets {
			if strings.Contains(body, sec) {
				t.Errorf("raw GET %s channel returns the secret %s: %s", ch.path, sec, body)
			}
		}
		for _, member := range []string{`"Certificate"`, `"PrivateKey"`, `"TokenKey"`, `"ApiKey"`, `"ServiceJson"`, `"SecretKey"`, `"ClientSecret"`, `"Credential"`} {
			if strings.Contains(body, member) {
				t.Errorf("raw GET %s channel has member %s: %s", ch.path, member, body)
			}
		}
		if !strings.Contains(body, `"Version":2`) {
			t.Errorf("raw GET %s channel after two updates: want Version 2: %s", ch.path, body)
		}
	}
	// GetChannels summarizes every channel, plus in-app, without secrets.
	all, err := v.pp.GetChannels(ctx, &pinpoint.GetChannelsInput{ApplicationId: &app})
	must(t, err, "get channels")
	for _, ch := range cases {
		got, ok := all.ChannelsResponse.Channels[ch.platform]
		if !ok {
			t.Errorf("GetChannels has no %s", ch.platform)
			continue
		}
		if ch.secrets != nil && !aws.ToBool(got.HasCredential) {
			t.Errorf("GetChannels %s: HasCredential false", ch.platform)
		}
	}
	if _, ok := all.ChannelsResponse.Channels["IN_APP"]; !ok {
		t.Errorf("GetChannels has no IN_APP")
	}
	status, _, body := v.raw("GET", "/v1/apps/"+app+"/channels", "")
	if status != 200 || strings.Contains(body, "SECRET-") {
		t.Errorf("raw GetChannels: %d %s", status, body)
	}
	for _, ch := range cases {
		if err := ch.del(v.pp, app); err != nil {
			t.Fatalf("delete %s channel: %v", ch.path, err)
		}
		_, err := ch.get(v.pp, app)
		wantErr[*types.NotFoundException](t, err, "get deleted "+ch.path+" channel")
		wantErr[*types.NotFoundException](t, ch.del(v.pp, app), "delete deleted "+ch.path+" channel")
	}
	// The channel operations on a missing app.
	for _, ch := range cases {
		wantErr[*types.NotFoundException](t, ch.update(v.pp, "0000"), "update "+ch.path+" channel of a missing app")
	}
}

func TestChannelCredentialsFlags(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("flags")
	// Certificate only: HasCredential, no token key, CERTIFICATE by default.
	_, err := v.pp.UpdateApnsChannel(ctx, &pinpoint.UpdateApnsChannelInput{ApplicationId: &app, APNSChannelRequest: &types.APNSChannelRequest{
		Certificate: aws.String("C"), PrivateKey: aws.String("K")}})
	must(t, err, "update apns with a certificate")
	got, err := v.pp.GetApnsChannel(ctx, &pinpoint.GetApnsChannelInput{ApplicationId: &app})
	must(t, err, "get apns")
	if r := got.APNSChannelResponse; !aws.ToBool(r.HasCredential) || aws.ToBool(r.HasTokenKey) || aws.ToString(r.DefaultAuthenticationMethod) != "CERTIFICATE" {
		t.Errorf("apns with certificate: HasCredential %v HasTokenKey %v method %q", aws.ToBool(r.HasCredential), aws.ToBool(r.HasTokenKey), aws.ToString(r.DefaultAuthenticationMethod))
	}
	// GCM with a legacy key only: no FCM service credentials, KEY method.
	_, err = v.pp.UpdateGcmChannel(ctx, &pinpoint.UpdateGcmChannelInput{ApplicationId: &app, GCMChannelRequest: &types.GCMChannelRequest{ApiKey: aws.String("k")}})
	must(t, err, "update gcm with an api key")
	g, err := v.pp.GetGcmChannel(ctx, &pinpoint.GetGcmChannelInput{ApplicationId: &app})
	must(t, err, "get gcm")
	if r := g.GCMChannelResponse; !aws.ToBool(r.HasCredential) || aws.ToBool(r.HasFcmServiceCredentials) || aws.ToString(r.DefaultAuthenticationMethod) != "KEY" {
		t.Errorf("gcm with api key: HasCredential %v HasFcmServiceCredentials %v method %q", aws.ToBool(r.HasCredential), aws.ToBool(r.HasFcmServiceCredentials), aws.ToString(r.DefaultAuthenticationMethod))
	}
	// Incomplete credentials are refused.
	_, err = v.pp.UpdateApnsChannel(ctx, &pinpoint.UpdateApnsChannelInput{ApplicationId: &app, APNSChannelRequest: &types.APNSChannelRequest{TokenKey: aws.String("T")}})
	wantErr[*types.BadRequestException](t, err, "apns token key without key id, team and bundle")
	_, err = v.pp.UpdateGcmChannel(ctx, &pinpoint.UpdateGcmChannelInput{ApplicationId: &app, GCMChannelRequest: &types.GCMChannelRequest{Enabled: aws.Bool(true)}})
	wantErr[*types.BadRequestException](t, err, "gcm without credentials")
	_, err = v.pp.UpdateBaiduChannel(ctx, &pinpoint.UpdateBaiduChannelInput{ApplicationId: &app, BaiduChannelRequest: &types.BaiduChannelRequest{ApiKey: aws.String("a"), SecretKey: aws.String("")}})
	wantErr[*types.BadRequestException](t, err, "baidu without secret key")
	_, err = v.pp.UpdateEmailChannel(ctx, &pinpoint.UpdateEmailChannelInput{ApplicationId: &app, EmailChannelRequest: &types.EmailChannelRequest{FromAddress: aws.String("a@example.com"), Identity: aws.String("")}})
	wantErr[*types.BadRequestException](t, err, "email without identity")
}

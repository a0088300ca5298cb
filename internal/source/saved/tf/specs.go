package tf

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// kind says where a resource lands in the inventory.
type kind int

const (
	kindApp kind = iota
	kindChannel
	kindEventStream
	kindEmailTemplate
	kindPhoneNumber
	kindOptOutList
	kindConfigurationSet
)

// arg maps a Terraform argument to a member of the API's wire object.
type arg struct {
	tf, wire string
	ty       cty.Type
	// flag is set for channel credentials: the member is never written,
	// the flag (HasCredential, ...) is set instead.
	flag string
	// drop: accepted by Terraform, absent from the API's response shape.
	drop bool
}

// nested maps a nested block to a member object (or a list of them).
type nested struct {
	tf, wire string
	args     []arg
	blocks   []nested
	list     bool
}

// spec describes one aws_pinpoint_* resource type.
type spec struct {
	kind kind
	// platform is the channel type (the key in App.Channels and the
	// channel response's Platform).
	platform string
	args     []arg
	blocks   []nested
	// id is the argument that Terraform also exposes as the resource's id.
	id string
}

var (
	str     = cty.String
	num     = cty.Number
	boolean = cty.Bool
	strMap  = cty.Map(cty.String)
	strList = cty.List(cty.String)
)

var appID = arg{tf: "application_id", wire: "ApplicationId", ty: str}
var enabled = arg{tf: "enabled", wire: "Enabled", ty: boolean}

func apnsSpec(platform string) *spec {
	return &spec{kind: kindChannel, platform: platform, id: "application_id", args: []arg{
		appID, enabled,
		{tf: "default_authentication_method", wire: "DefaultAuthenticationMethod", ty: str},
		{tf: "certificate", wire: "Certificate", ty: str, flag: "HasCredential"},
		{tf: "private_key", wire: "PrivateKey", ty: str, flag: "HasCredential"},
		{tf: "token_key", wire: "TokenKey", ty: str, flag: "HasTokenKey"},
		{tf: "bundle_id", ty: str, drop: true},
		{tf: "team_id", ty: str, drop: true},
		{tf: "token_key_id", ty: str, drop: true},
	}}
}

// specs lists the resource types read, with the provider's argument names
// (hashicorp/aws docs) and the botocore response members they become.
var specs = map[string]*spec{
	"aws_pinpoint_app": {kind: kindApp, args: []arg{
		{tf: "name", wire: "Name", ty: str},
		{tf: "tags", wire: "tags", ty: strMap},
	}, blocks: []nested{
		{tf: "campaign_hook", wire: "CampaignHook", args: []arg{
			{tf: "lambda_function_name", wire: "LambdaFunctionName", ty: str},
			{tf: "mode", wire: "Mode", ty: str},
			{tf: "web_url", wire: "WebUrl", ty: str},
		}},
		{tf: "limits", wire: "Limits", args: []arg{
			{tf: "daily", wire: "Daily", ty: num},
			{tf: "maximum_duration", wire: "MaximumDuration", ty: num},
			{tf: "messages_per_second", wire: "MessagesPerSecond", ty: num},
			{tf: "total", wire: "Total", ty: num},
		}},
		{tf: "quiet_time", wire: "QuietTime", args: []arg{
			{tf: "start", wire: "Start", ty: str},
			{tf: "end", wire: "End", ty: str},
		}},
	}},
	"aws_pinpoint_adm_channel": {kind: kindChannel, platform: "ADM", id: "application_id", args: []arg{
		appID, enabled,
		{tf: "client_id", wire: "ClientId", ty: str, flag: "HasCredential"},
		{tf: "client_secret", wire: "ClientSecret", ty: str, flag: "HasCredential"},
	}},
	"aws_pinpoint_apns_channel":              apnsSpec("APNS"),
	"aws_pinpoint_apns_sandbox_channel":      apnsSpec("APNS_SANDBOX"),
	"aws_pinpoint_apns_voip_channel":         apnsSpec("APNS_VOIP"),
	"aws_pinpoint_apns_voip_sandbox_channel": apnsSpec("APNS_VOIP_SANDBOX"),
	"aws_pinpoint_baidu_channel": {kind: kindChannel, platform: "BAIDU", id: "application_id", args: []arg{
		appID, enabled,
		{tf: "api_key", wire: "ApiKey", ty: str, flag: "HasCredential"},
		{tf: "secret_key", wire: "SecretKey", ty: str, flag: "HasCredential"},
	}},
	"aws_pinpoint_email_channel": {kind: kindChannel, platform: "EMAIL", id: "application_id", args: []arg{
		appID, enabled,
		{tf: "configuration_set", wire: "ConfigurationSet", ty: str},
		{tf: "from_address", wire: "FromAddress", ty: str},
		{tf: "identity", wire: "Identity", ty: str},
		{tf: "role_arn", wire: "RoleArn", ty: str},
		{tf: "orchestration_sending_role_arn", wire: "OrchestrationSendingRoleArn", ty: str},
	}},
	"aws_pinpoint_gcm_channel": {kind: kindChannel, platform: "GCM", id: "application_id", args: []arg{
		appID, enabled,
		{tf: "default_authentication_method", wire: "DefaultAuthenticationMethod", ty: str},
		{tf: "api_key", wire: "ApiKey", ty: str, flag: "HasCredential"},
		{tf: "service_json", wire: "ServiceJson", ty: str, flag: "HasFcmServiceCredentials"},
	}},
	"aws_pinpoint_sms_channel": {kind: kindChannel, platform: "SMS", id: "application_id", args: []arg{
		appID, enabled,
		{tf: "sender_id", wire: "SenderId", ty: str},
		{tf: "short_code", wire: "ShortCode", ty: str},
	}},
	"aws_pinpoint_event_stream": {kind: kindEventStream, id: "application_id", args: []arg{
		appID,
		{tf: "destination_stream_arn", wire: "DestinationStreamArn", ty: str},
		{tf: "role_arn", wire: "RoleArn", ty: str},
	}},
	"aws_pinpoint_email_template": {kind: kindEmailTemplate, id: "template_name", args: []arg{
		{tf: "template_name", wire: "TemplateName", ty: str},
		{tf: "tags", wire: "tags", ty: strMap},
	}, blocks: []nested{
		// The block's members sit at the top of EmailTemplateResponse.
		{tf: "email_template", args: []arg{
			{tf: "subject", wire: "Subject", ty: str},
			{tf: "html_part", wire: "HtmlPart", ty: str},
			{tf: "text_part", wire: "TextPart", ty: str},
			{tf: "default_substitutions", wire: "DefaultSubstitutions", ty: str},
			{tf: "recommender_id", wire: "RecommenderId", ty: str},
			{tf: "description", wire: "TemplateDescription", ty: str},
		}, blocks: []nested{
			{tf: "header", wire: "Headers", list: true, args: []arg{
				{tf: "name", wire: "Name", ty: str},
				{tf: "value", wire: "Value", ty: str},
			}},
		}},
	}},
	"aws_pinpointsmsvoicev2_phone_number": {kind: kindPhoneNumber, args: []arg{
		{tf: "iso_country_code", wire: "IsoCountryCode", ty: str},
		{tf: "message_type", wire: "MessageType", ty: str},
		{tf: "number_capabilities", wire: "NumberCapabilities", ty: strList},
		{tf: "number_type", wire: "NumberType", ty: str},
		{tf: "deletion_protection_enabled", wire: "DeletionProtectionEnabled", ty: boolean},
		{tf: "opt_out_list_name", wire: "OptOutListName", ty: str},
		{tf: "registration_id", wire: "RegistrationId", ty: str},
		{tf: "self_managed_opt_outs_enabled", wire: "SelfManagedOptOutsEnabled", ty: boolean},
		{tf: "two_way_channel_arn", wire: "TwoWayChannelArn", ty: str},
		{tf: "two_way_channel_enabled", wire: "TwoWayEnabled", ty: boolean},
		{tf: "two_way_channel_role", wire: "TwoWayChannelRole", ty: str},
		{tf: "tags", ty: strMap, drop: true},
	}},
	"aws_pinpointsmsvoicev2_opt_out_list": {kind: kindOptOutList, id: "name", args: []arg{
		{tf: "name", wire: "OptOutListName", ty: str},
		{tf: "tags", ty: strMap, drop: true},
	}},
	"aws_pinpointsmsvoicev2_configuration_set": {kind: kindConfigurationSet, id: "name", args: []arg{
		{tf: "name", wire: "ConfigurationSetName", ty: str},
		{tf: "default_message_type", wire: "DefaultMessageType", ty: str},
		{tf: "default_sender_id", wire: "DefaultSenderId", ty: str},
		{tf: "tags", ty: strMap, drop: true},
	}},
}

// meta are the arguments and blocks every resource may have.
var metaArgs = []string{"count", "for_each", "provider", "depends_on", "region", "name_prefix"}
var metaBlocks = []hcl.BlockHeaderSchema{
	{Type: "lifecycle"}, {Type: "timeouts"}, {Type: "connection"},
	{Type: "provisioner", LabelNames: []string{"type"}},
	{Type: "dynamic", LabelNames: []string{"name"}},
}

func schemaOf(args []arg, blocks []nested, meta bool) *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, a := range args {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: a.tf})
	}
	for _, b := range blocks {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: b.tf})
	}
	if meta {
		for _, n := range metaArgs {
			s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: n})
		}
		s.Blocks = append(s.Blocks, metaBlocks...)
	} else {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: "dynamic", LabelNames: []string{"name"}})
	}
	return s
}

package pinpoint

import (
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

var handlers = map[string]handler{}

func init() {
	for op, h := range map[string]handler{
		"CreateApp": createApp, "GetApp": getApp, "GetApps": getApps, "DeleteApp": deleteApp,
		"GetApplicationSettings": getSettings, "UpdateApplicationSettings": updateSettings,
		"GetEventStream": getEventStream, "PutEventStream": putEventStream, "DeleteEventStream": deleteEventStream,
		"GetChannels":         getChannels,
		"TagResource":         tagResource,
		"UntagResource":       untagResource,
		"ListTagsForResource": listTags,
	} {
		handlers[op] = h
	}
	for _, ch := range channelKinds {
		ch := ch
		handlers["Get"+ch.op+"Channel"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
			a, err := r.app(core.Str(in, "ApplicationId"))
			if err != nil {
				return nil, err
			}
			o := a.channels[ch.path]
			if o == nil {
				return nil, notFound("Resource not found")
			}
			return ch.response(o), nil
		}
		handlers["Update"+ch.op+"Channel"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
			a, err := r.app(core.Str(in, "ApplicationId"))
			if err != nil {
				return nil, err
			}
			req := core.Obj(in, ch.request)
			if err := ch.validate(req); err != nil {
				return nil, err
			}
			now := s.stamp()
			o := a.channels[ch.path]
			if o == nil {
				o = map[string]any{"ApplicationId": a.obj["Id"], "CreationDate": now, "Version": float64(0), "Enabled": true, "IsArchived": false, "Id": ch.path, "Platform": ch.platform}
				a.channels[ch.path] = o
			}
			for k, v := range req {
				o[k] = v
			}
			o["LastModifiedDate"] = now
			o["LastModifiedBy"] = "p2c-emulator"
			o["Version"] = o["Version"].(float64) + 1
			return ch.response(o), nil
		}
		handlers["Delete"+ch.op+"Channel"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
			a, err := r.app(core.Str(in, "ApplicationId"))
			if err != nil {
				return nil, err
			}
			o := a.channels[ch.path]
			if o == nil {
				return nil, notFound("Resource not found")
			}
			delete(a.channels, ch.path)
			return ch.response(o), nil
		}
	}
}

// channelKind describes one channel resource.
type channelKind struct {
	path     string // URI segment
	op       string // operation infix
	request  string // payload member of the Update input
	platform string // Platform in the response and key in GetChannels
	secrets  []string
	required []string
}

var channelKinds = []channelKind{
	{path: "email", op: "Email", request: "EmailChannelRequest", platform: "EMAIL", required: []string{"FromAddress", "Identity"}},
	{path: "sms", op: "Sms", request: "SMSChannelRequest", platform: "SMS"},
	{path: "voice", op: "Voice", request: "VoiceChannelRequest", platform: "VOICE"},
	{path: "apns", op: "Apns", request: "APNSChannelRequest", platform: "APNS", secrets: []string{"Certificate", "PrivateKey", "TokenKey"}},
	{path: "apns_sandbox", op: "ApnsSandbox", request: "APNSSandboxChannelRequest", platform: "APNS_SANDBOX", secrets: []string{"Certificate", "PrivateKey", "TokenKey"}},
	{path: "apns_voip", op: "ApnsVoip", request: "APNSVoipChannelRequest", platform: "APNS_VOIP", secrets: []string{"Certificate", "PrivateKey", "TokenKey"}},
	{path: "apns_voip_sandbox", op: "ApnsVoipSandbox", request: "APNSVoipSandboxChannelRequest", platform: "APNS_VOIP_SANDBOX", secrets: []string{"Certificate", "PrivateKey", "TokenKey"}},
	{path: "gcm", op: "Gcm", request: "GCMChannelRequest", platform: "GCM", secrets: []string{"ApiKey", "ServiceJson"}},
	{path: "baidu", op: "Baidu", request: "BaiduChannelRequest", platform: "BAIDU", secrets: []string{"ApiKey", "SecretKey"}, required: []string{"ApiKey", "SecretKey"}},
	{path: "adm", op: "Adm", request: "ADMChannelRequest", platform: "ADM", secrets: []string{"ClientId", "ClientSecret"}, required: []string{"ClientId", "ClientSecret"}},
}

func (ch channelKind) validate(req map[string]any) *core.Error {
	for _, f := range ch.required {
		if core.Str(req, f) == "" {
			return badRequest("Missing %s", f)
		}
	}
	switch ch.path {
	case "apns", "apns_sandbox", "apns_voip", "apns_voip_sandbox":
		cert := core.Str(req, "Certificate") != "" && core.Str(req, "PrivateKey") != ""
		key := core.Str(req, "TokenKey") != "" && core.Str(req, "TokenKeyId") != "" && core.Str(req, "TeamId") != "" && core.Str(req, "BundleId") != ""
		if !cert && !key {
			return badRequest("Either a certificate with its private key, or a token key with its key id, team id and bundle id, is required")
		}
	case "gcm":
		if core.Str(req, "ApiKey") == "" && core.Str(req, "ServiceJson") == "" {
			return badRequest("Either ApiKey or ServiceJson is required")
		}
	}
	return nil
}

// response derives what the channel GET returns: secrets never come back,
// only the flags that say they exist (pruning against the response shape
// drops the secret members themselves).
func (ch channelKind) response(o map[string]any) map[string]any {
	out := copyMap(o)
	has := false
	for _, sec := range ch.secrets {
		if core.Str(o, sec) != "" {
			has = true
		}
		delete(out, sec)
	}
	out["HasCredential"] = has
	switch ch.path {
	case "apns", "apns_sandbox", "apns_voip", "apns_voip_sandbox":
		out["HasTokenKey"] = core.Str(o, "TokenKey") != ""
		if core.Str(o, "DefaultAuthenticationMethod") == "" {
			if core.Str(o, "TokenKey") != "" {
				out["DefaultAuthenticationMethod"] = "TOKEN"
			} else {
				out["DefaultAuthenticationMethod"] = "CERTIFICATE"
			}
		}
	case "gcm":
		out["HasFcmServiceCredentials"] = core.Str(o, "ServiceJson") != ""
		if core.Str(o, "DefaultAuthenticationMethod") == "" {
			if core.Str(o, "ServiceJson") != "" {
				out["DefaultAuthenticationMethod"] = "TOKEN"
			} else {
				out["DefaultAuthenticationMethod"] = "KEY"
			}
		}
	case "baidu":
		out["Credential"] = nil
	case "email":
		if _, ok := out["MessagesPerSecond"]; !ok {
			out["MessagesPerSecond"] = float64(1)
		}
	case "sms":
		out["PromotionalMessagesPerSecond"] = float64(20)
		out["TransactionalMessagesPerSecond"] = float64(20)
	}
	for k, v := range out {
		if v == nil {
			delete(out, k)
		}
	}
	return out
}

// apps -------------------------------------------------------------------

func createApp(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	req := core.Obj(in, "CreateApplicationRequest")
	name := core.Str(req, "Name")
	if strings.TrimSpace(name) == "" {
		return nil, badRequest("Missing Name")
	}
	id := s.newID(r.name, "app")
	o := map[string]any{"Id": id, "Arn": arn(r.name, "apps/"+id), "Name": name, "CreationDate": s.stamp(), "tags": tagsOf(req)}
	r.apps[id] = &app{obj: o, channels: map[string]map[string]any{}, segments: map[string]*versioned{}, campaigns: map[string]*versioned{},
		journeys: map[string]map[string]any{}, endpoints: map[string]map[string]any{}, users: map[string][]string{}, segMembers: map[string][]string{}}
	r.appOrder = append(r.appOrder, id)
	return o, nil
}

func tagsOf(req map[string]any) map[string]any {
	if t := core.Obj(req, "tags"); t != nil {
		return copyMap(t)
	}
	return map[string]any{}
}

func getApp(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	return a.obj, nil
}

func getApps(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	items := make([]any, 0, len(r.appOrder))
	for _, id := range r.appOrder {
		items = append(items, r.apps[id].obj)
	}
	return listPage("apps", items, in, "Token")
}

func deleteApp(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	id := core.Str(in, "ApplicationId")
	a, err := r.app(id)
	if err != nil {
		return nil, err
	}
	delete(r.apps, id)
	r.appOrder = remove(r.appOrder, id)
	return a.obj, nil
}

// settings ------------------------------------------------------------------

func getSettings(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	if a.settings == nil {
		return map[string]any{"ApplicationId": a.obj["Id"], "LastModifiedDate": a.obj["CreationDate"], "Limits": map[string]any{}, "QuietTime": map[string]any{}, "CampaignHook": map[string]any{}}, nil
	}
	return a.settings, nil
}

func updateSettings(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "WriteApplicationSettingsRequest")
	if a.settings == nil {
		a.settings = map[string]any{"ApplicationId": a.obj["Id"]}
	}
	for k, v := range req {
		a.settings[k] = v
	}
	a.settings["LastModifiedDate"] = s.stamp()
	return a.settings, nil
}

// event stream -------------------------------------------------------------

func getEventStream(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	if a.eventStream == nil {
		return nil, notFound("Resource not found")
	}
	return a.eventStream, nil
}

func putEventStream(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "WriteEventStream")
	if !strings.HasPrefix(core.Str(req, "DestinationStreamArn"), "arn:") {
		return nil, badRequest("DestinationStreamArn must be the ARN of a Kinesis data stream or Firehose delivery stream")
	}
	if !strings.HasPrefix(core.Str(req, "RoleArn"), "arn:") {
		return nil, badRequest("RoleArn must be an IAM role ARN")
	}
	a.eventStream = map[string]any{"ApplicationId": a.obj["Id"], "DestinationStreamArn": req["DestinationStreamArn"], "RoleArn": req["RoleArn"],
		"LastModifiedDate": s.stamp(), "LastUpdatedBy": "arn:aws:iam::" + core.Account + ":user/p2c-emulator"}
	return a.eventStream, nil
}

func deleteEventStream(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	if a.eventStream == nil {
		return nil, notFound("Resource not found")
	}
	es := a.eventStream
	a.eventStream = nil
	return es, nil
}

// channels summary ------------------------------------------------------------

func getChannels(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	chans := map[string]any{}
	for _, ch := range channelKinds {
		if o := a.channels[ch.path]; o != nil {
			resp := ch.response(o)
			chans[ch.platform] = map[string]any{"ApplicationId": resp["ApplicationId"], "CreationDate": resp["CreationDate"], "Enabled": resp["Enabled"],
				"HasCredential": resp["HasCredential"], "Id": resp["Id"], "IsArchived": resp["IsArchived"], "LastModifiedBy": resp["LastModifiedBy"],
				"LastModifiedDate": resp["LastModifiedDate"], "Version": resp["Version"]}
		}
	}
	// In-app messaging is enabled in every project and has no channel resource.
	chans["IN_APP"] = map[string]any{"ApplicationId": a.obj["Id"], "Enabled": true, "IsArchived": false}
	return map[string]any{"Channels": chans}, nil
}

// tags ----------------------------------------------------------------------

// tagged finds the object an ARN names.
func (s *Service) tagged(r *region, resourceArn string) map[string]any {
	prefix := arn(r.name, "")
	rest, ok := strings.CutPrefix(resourceArn, prefix)
	if !ok {
		return nil
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 2 && parts[0] == "apps":
		if a := r.apps[parts[1]]; a != nil {
			return a.obj
		}
	case len(parts) == 4 && parts[0] == "apps":
		a := r.apps[parts[1]]
		if a == nil {
			return nil
		}
		switch parts[2] {
		case "segments":
			if v := a.segments[parts[3]]; v != nil {
				return v.latest()
			}
		case "campaigns":
			if v := a.campaigns[parts[3]]; v != nil {
				return v.latest()
			}
		case "journeys":
			return a.journeys[parts[3]]
		}
	case len(parts) == 3 && parts[0] == "templates":
		if t := r.templates[strings.ToUpper(parts[2])+"/"+parts[1]]; t != nil {
			return t.meta
		}
	}
	return nil
}

func tagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	o := s.tagged(r, core.Str(in, "ResourceArn"))
	if o == nil {
		return nil, notFound("Resource not found")
	}
	t := core.Obj(core.Obj(in, "TagsModel"), "tags")
	cur, _ := o["tags"].(map[string]any)
	if cur == nil {
		cur = map[string]any{}
	}
	for k, v := range t {
		cur[k] = v
	}
	o["tags"] = cur
	return nil, nil
}

func untagResource(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	o := s.tagged(r, core.Str(in, "ResourceArn"))
	if o == nil {
		return nil, notFound("Resource not found")
	}
	cur, _ := o["tags"].(map[string]any)
	keys, _ := in["TagKeys"].([]any)
	for _, k := range keys {
		if ks, ok := k.(string); ok {
			delete(cur, ks)
		}
	}
	return nil, nil
}

func listTags(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	o := s.tagged(r, core.Str(in, "ResourceArn"))
	if o == nil {
		return nil, notFound("Resource not found")
	}
	t, _ := o["tags"].(map[string]any)
	if t == nil {
		t = map[string]any{}
	}
	return map[string]any{"tags": t}, nil
}

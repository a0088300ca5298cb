package demoseed

// endUserMessaging records Northwind's AWS End User Messaging SMS and voice
// resources: the originators Pinpoint's SMS and voice channels send
// through. They continue after Pinpoint's end of support and p2c must
// leave them untouched, so they are here to be read, not migrated.
func (b *builder) endUserMessaging() {
	tags := func(kv ...string) L {
		out := L{}
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, M{"Key": kv[i], "Value": kv[i+1]})
		}
		return out
	}

	// Opt-out lists: marketing and the payment alerts app keep their own.
	b.sv("CreateOptOutList", M{"OptOutListName": "northwind-marketing", "Tags": tags("team", "growth")}, nil)
	b.sv("CreateOptOutList", M{"OptOutListName": "northwind-pay-alerts", "Tags": tags("team", "payments")}, nil)
	for _, n := range []string{"+12065550142", "+13125550117", "+14155550163", "+16465550109", "+17135550188", "+15125550131"} {
		b.sv("PutOptedOutNumber", M{"OptOutListName": "northwind-marketing", "OptedOutNumber": n}, nil)
	}
	for _, n := range []string{"+12065550177", "+16465550124"} {
		b.sv("PutOptedOutNumber", M{"OptOutListName": "northwind-pay-alerts", "OptedOutNumber": n}, nil)
	}

	// The 10DLC brand registration the marketing long codes send under.
	b.sv("CreateRegistration", M{"RegistrationType": "US_TEN_DLC_BRAND_REGISTRATION", "Tags": tags("team", "growth")},
		map[string]string{"reg.brand": "RegistrationId"})
	for _, f := range [][2]string{
		{"companyInfo.companyName", "Northwind Outfitters, Inc."},
		{"companyInfo.taxIdIssuingCountry", "US"},
		{"companyInfo.website", "https://www.northwind.example.com"},
		{"contactInfo.supportEmail", "sms-compliance@northwind.example.com"},
	} {
		b.sv("PutRegistrationFieldValue", M{"RegistrationId": "${reg.brand}", "FieldPath": f[0], "TextValue": f[1]}, nil)
	}

	// Phone numbers: a toll-free number for transactional SMS and voice,
	// 10DLC numbers for promotions, a long code for voice alerts, a
	// Canadian long code and a simulator number for tests.
	phone := func(save, country, typ, msgType, optOut string, caps []string, extra M) {
		in := M{"IsoCountryCode": country, "NumberType": typ, "MessageType": msgType, "NumberCapabilities": list(caps...),
			"Tags": tags("team", "messaging", "purpose", save)}
		if optOut != "" {
			in["OptOutListName"] = optOut
		}
		for k, v := range extra {
			in[k] = v
		}
		b.sv("RequestPhoneNumber", in, map[string]string{"phone." + save: "PhoneNumberId", "phone." + save + ".number": "PhoneNumber",
			"phone." + save + ".arn": "PhoneNumberArn"})
	}
	phone("tollfree", "US", "TOLL_FREE", "TRANSACTIONAL", "northwind-pay-alerts", []string{"SMS", "VOICE"}, M{"DeletionProtectionEnabled": true})
	phone("tendlc1", "US", "TEN_DLC", "PROMOTIONAL", "northwind-marketing", []string{"SMS", "MMS"}, M{"RegistrationId": "${reg.brand}"})
	phone("tendlc2", "US", "TEN_DLC", "PROMOTIONAL", "northwind-marketing", []string{"SMS"}, M{"RegistrationId": "${reg.brand}"})
	phone("voice", "US", "LONG_CODE", "TRANSACTIONAL", "", []string{"VOICE"}, nil)
	phone("ca", "CA", "LONG_CODE", "TRANSACTIONAL", "", []string{"SMS", "VOICE"}, M{"InternationalSendingEnabled": true})
	phone("simulator", "US", "SIMULATOR", "TRANSACTIONAL", "", []string{"SMS"}, nil)

	// Alphanumeric sender IDs for the UK and Germany (not allowed in the US).
	b.sv("RequestSenderId", M{"SenderId": "NORTHWIND", "IsoCountryCode": "GB", "MessageTypes": list("TRANSACTIONAL", "PROMOTIONAL"), "Tags": tags("team", "growth")},
		map[string]string{"sender.gb": "SenderIdArn"})
	b.sv("RequestSenderId", M{"SenderId": "NWINDPAY", "IsoCountryCode": "DE", "MessageTypes": list("TRANSACTIONAL")}, nil)

	// Pools: marketing (both 10DLC numbers) and transactional (toll-free,
	// Canadian long code and the German sender ID).
	b.sv("CreatePool", M{"OriginationIdentity": "${phone.tendlc1}", "MessageType": "PROMOTIONAL", "Tags": tags("team", "growth", "Name", "northwind-marketing")},
		map[string]string{"pool.marketing": "PoolId"})
	b.sv("AssociateOriginationIdentity", M{"PoolId": "${pool.marketing}", "OriginationIdentity": "${phone.tendlc2}"}, nil)
	b.sv("CreatePool", M{"OriginationIdentity": "${phone.tollfree}", "MessageType": "TRANSACTIONAL", "DeletionProtectionEnabled": true,
		"Tags": tags("team", "payments", "Name", "northwind-transactional")}, map[string]string{"pool.transactional": "PoolId"})
	b.sv("AssociateOriginationIdentity", M{"PoolId": "${pool.transactional}", "OriginationIdentity": "${phone.ca}"}, nil)
	b.sv("AssociateOriginationIdentity", M{"PoolId": "${pool.transactional}", "OriginationIdentity": "NWINDPAY", "IsoCountryCode": "DE"}, nil)

	// Keywords: the mandatory STOP and HELP answers reworded, and custom
	// keywords on the marketing pool.
	b.sv("PutKeyword", M{"OriginationIdentity": "${pool.marketing}", "Keyword": "STOP", "KeywordAction": "OPT_OUT",
		"KeywordMessage": "Northwind Outfitters: you're unsubscribed from promo texts. No more messages will be sent. Reply JOIN to resubscribe."}, nil)
	b.sv("PutKeyword", M{"OriginationIdentity": "${pool.marketing}", "Keyword": "HELP", "KeywordAction": "AUTOMATIC_RESPONSE",
		"KeywordMessage": "Northwind Outfitters promos: up to 6 msgs/mo. Msg&data rates may apply. Help: northwind.example.com/sms. Reply STOP to cancel."}, nil)
	b.sv("PutKeyword", M{"OriginationIdentity": "${pool.marketing}", "Keyword": "JOIN", "KeywordAction": "OPT_IN",
		"KeywordMessage": "Welcome back to Northwind Outfitters texts! Up to 6 msgs/mo. Reply STOP to cancel."}, nil)
	b.sv("PutKeyword", M{"OriginationIdentity": "${pool.marketing}", "Keyword": "DEALS", "KeywordAction": "AUTOMATIC_RESPONSE",
		"KeywordMessage": "This week's trail deals: northwind.example.com/deals"}, nil)
	b.sv("PutKeyword", M{"OriginationIdentity": "${phone.tollfree}", "Keyword": "BALANCE", "KeywordAction": "AUTOMATIC_RESPONSE",
		"KeywordMessage": "Northwind Pay: log in at pay.northwind.example.com to see your balance. We never text your full card number."}, nil)
	b.sv("PutKeyword", M{"OriginationIdentity": "${phone.tollfree}", "Keyword": "ARRET", "KeywordAction": "OPT_OUT",
		"KeywordMessage": "Northwind Pay : vous ne recevrez plus d'alertes par texto."}, nil)

	// Configuration sets and their event destinations.
	b.sv("CreateConfigurationSet", M{"ConfigurationSetName": "northwind-sms-events", "Tags": tags("team", "messaging")}, nil)
	b.sv("CreateEventDestination", M{"ConfigurationSetName": "northwind-sms-events", "EventDestinationName": "firehose-datalake",
		"MatchingEventTypes":         list("ALL"),
		"KinesisFirehoseDestination": M{"IamRoleArn": iamRole("northwind-eum-firehose"), "DeliveryStreamArn": "arn:aws:firehose:us-east-1:" + Account + ":deliverystream/northwind-sms-events"}}, nil)
	b.sv("CreateEventDestination", M{"ConfigurationSetName": "northwind-sms-events", "EventDestinationName": "sns-failures",
		"MatchingEventTypes": list("TEXT_BLOCKED", "TEXT_CARRIER_UNREACHABLE", "TEXT_SPAM", "TEXT_TTL_EXPIRED"),
		"SnsDestination":     M{"TopicArn": "arn:aws:sns:us-east-1:" + Account + ":northwind-sms-failures"}}, nil)
	b.sv("CreateConfigurationSet", M{"ConfigurationSetName": "northwind-pay-voice", "Tags": tags("team", "payments")}, nil)
	b.sv("CreateEventDestination", M{"ConfigurationSetName": "northwind-pay-voice", "EventDestinationName": "cloudwatch-voice",
		"MatchingEventTypes":        list("VOICE_ALL", "TEXT_DELIVERED", "TEXT_INVALID"),
		"CloudWatchLogsDestination": M{"IamRoleArn": iamRole("northwind-eum-logs"), "LogGroupArn": "arn:aws:logs:us-east-1:" + Account + ":log-group:/northwind/pay/sms-voice"}}, nil)
}

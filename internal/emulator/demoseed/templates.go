package demoseed

// recommenders records the Amazon Personalize-backed recommender
// configurations the shop's emails use.
func (b *builder) recommenders() {
	b.ppID("CreateRecommenderConfiguration", M{"CreateRecommenderConfiguration": M{
		"Name":                          "shop-recommended-products",
		"Description":                   "Products recommended per shopper (Personalize user-personalization recipe).",
		"RecommendationProviderUri":     "arn:aws:personalize:us-east-1:" + Account + ":campaign/northwind-user-personalization",
		"RecommendationProviderRoleArn": iamRole("pinpoint-personalize-access"),
		"RecommendationProviderIdType":  "PINPOINT_USER_ID",
		"RecommendationTransformerUri":  lambdaARN("northwind-recommendation-enricher"),
		"RecommendationsDisplayName":    "Picked for you",
		"RecommendationsPerMessage":     4,
		"Attributes": M{
			"Recommendations.Title":    "Product title",
			"Recommendations.URL":      "Product page",
			"Recommendations.ImageURL": "Product image",
			"Recommendations.Price":    "Price",
		},
	}}, "rec.products")
	b.ppID("CreateRecommenderConfiguration", M{"CreateRecommenderConfiguration": M{
		"Name":                          "rewards-next-best-offer",
		"Description":                   "Next best loyalty offer per member.",
		"RecommendationProviderUri":     "arn:aws:personalize:us-east-1:" + Account + ":campaign/northwind-rewards-offers",
		"RecommendationProviderRoleArn": iamRole("pinpoint-personalize-access"),
		"RecommendationsPerMessage":     1,
	}}, "rec.offers")
	b.pp("UpdateRecommenderConfiguration", M{"RecommenderId": "${rec.offers}", "UpdateRecommenderConfiguration": M{
		"Name":                          "rewards-next-best-offer",
		"Description":                   "Next best loyalty offer per member (retrained on 2026 data).",
		"RecommendationProviderUri":     "arn:aws:personalize:us-east-1:" + Account + ":campaign/northwind-rewards-offers-v2",
		"RecommendationProviderRoleArn": iamRole("pinpoint-personalize-access"),
		"RecommendationProviderIdType":  "PINPOINT_ENDPOINT_ID",
		"RecommendationsPerMessage":     2,
	}})
}

// Template names used by campaigns and journeys.
const (
	tWelcomeEmail   = "shop-welcome-email"
	tOrderConfirm   = "shop-order-confirmation"
	tCartEmail      = "shop-abandoned-cart-email"
	tDigest         = "shop-weekly-trail-digest"
	tBackInStock    = "shop-back-in-stock-email"
	tFallSaleEmailA = "shop-fall-sale-email-a"
	tFallSaleEmailB = "shop-fall-sale-email-b"
	tTierUpgrade    = "rewards-tier-upgrade-email"
	tBirthday       = "rewards-birthday-email"
	tStatement      = "pay-statement-ready-email"
	tEUNewsletter   = "eu-newsletter-email"

	tOTPLogin      = "otp-login-sms"
	tOTPPhone      = "otp-verify-phone-sms"
	tShippedSMS    = "shop-order-shipped-sms"
	tFlashSMS      = "shop-flash-sale-sms"
	tPaymentSMS    = "pay-payment-alert-sms"
	tFraudSMS      = "pay-fraud-check-sms"
	tPointsSMS     = "rewards-points-balance-sms"
	tCartPush      = "shop-cart-reminder-push"
	tFlashPush     = "shop-flash-sale-push"
	tPointsPush    = "rewards-points-expiring-push"
	tFraudPush     = "pay-fraud-alert-push"
	tOTPVoice      = "otp-voice-call"
	tFraudVoice    = "pay-fraud-check-voice"
	tOnboardInApp  = "shop-onboarding-inapp"
	tRewardsBanner = "rewards-double-points-inapp"
)

const emailFooter = `<hr><p style="font-size:12px;color:#667">Northwind Outfitters · 1200 Alder Way · Seattle, WA 98101<br>` +
	`<a href="https://www.northwind.example.com/preferences?u={{User.UserId}}">Email preferences</a> · ` +
	`<a href="https://www.northwind.example.com/unsubscribe?e={{Address}}">Unsubscribe</a></p>`

func (b *builder) templates() {
	email := func(name string, req M) {
		b.pp("CreateEmailTemplate", M{"TemplateName": name, "EmailTemplateRequest": req})
	}
	sms := func(name string, req M) {
		b.pp("CreateSmsTemplate", M{"TemplateName": name, "SMSTemplateRequest": req})
	}
	push := func(name string, req M) {
		b.pp("CreatePushTemplate", M{"TemplateName": name, "PushNotificationTemplateRequest": req})
	}
	voice := func(name string, req M) {
		b.pp("CreateVoiceTemplate", M{"TemplateName": name, "VoiceTemplateRequest": req})
	}
	inapp := func(name string, req M) {
		b.pp("CreateInAppTemplate", M{"TemplateName": name, "InAppTemplateRequest": req})
	}

	// Email ----------------------------------------------------------------

	// Three versions; version 2 stays active because version 3's new
	// layout failed review.
	welcome := func(subject, hero string) M {
		return M{
			"Subject": subject,
			"HtmlPart": `<html><body><h1>Welcome, {{User.UserAttributes.FirstName}}!</h1>` + hero +
				`{{#if Attributes.interests}}<p>We'll send you news about {{#each Attributes.interests}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}.</p>{{/if}}` +
				`<p>Your nearest store: {{Attributes.preferredStore}} in {{Location.City}}.</p>` + emailFooter + `</body></html>`,
			"TextPart":             "Welcome, {{User.UserAttributes.FirstName}}! Your nearest store is {{Attributes.preferredStore}} in {{Location.City}}.",
			"DefaultSubstitutions": jsonString(M{"User.UserAttributes.FirstName": "explorer", "Attributes.preferredStore": "our online store", "Location.City": "your area"}),
			"TemplateDescription":  "Welcome email, first message of the welcome journey.",
			"tags":                 M{"team": "growth", "lifecycle": "onboarding"},
		}
	}
	email(tWelcomeEmail, welcome("Welcome to Northwind Outfitters", `<p>Thanks for joining us.</p>`))
	b.pp("UpdateEmailTemplate", M{"TemplateName": tWelcomeEmail, "CreateNewVersion": true,
		"EmailTemplateRequest": welcome("Welcome to the trail, {{User.UserAttributes.FirstName}} 🏕️", `<p>Here's 10% off your first order: <b>TRAIL10</b>.</p>`)})
	b.pp("UpdateEmailTemplate", M{"TemplateName": tWelcomeEmail, "CreateNewVersion": true,
		"EmailTemplateRequest": welcome("{{User.UserAttributes.FirstName}}, your adventure starts here", `<div class="hero-v3"><p>New look, same 10% off: <b>TRAIL10</b>.</p></div>`)})
	b.pp("UpdateTemplateActiveVersion", M{"TemplateName": tWelcomeEmail, "TemplateType": "EMAIL", "TemplateActiveVersionRequest": M{"Version": "2"}})

	email(tOrderConfirm, M{
		"Subject": "Order {{Attributes.lastOrderId}} confirmed",
		"HtmlPart": `<html><body><p>Hi {{User.UserAttributes.FirstName}},</p><p>We received your order <b>{{Attributes.lastOrderId}}</b> on {{formatDate (now) "MMMM d, yyyy"}}.</p>` +
			`<ul>{{#each Attributes.lastOrderItems}}<li>{{this}}</li>{{/each}}</ul>` +
			`{{#if (eq Attributes.deliveryMethod "pickup")}}<p>Pick it up at {{Attributes.preferredStore}}.</p>{{else}}<p>It ships to {{Location.City}}, {{Location.PostalCode}}.</p>{{/if}}` +
			`<p>Order total: {{Metrics.lastOrderValue}} USD</p>` + emailFooter + `</body></html>`,
		"TextPart":             "Order {{Attributes.lastOrderId}} confirmed. Total {{Metrics.lastOrderValue}} USD.",
		"Headers":              L{M{"Name": "List-Unsubscribe", "Value": "<mailto:unsubscribe@northwind.example.com?subject=unsubscribe>"}, M{"Name": "X-Northwind-Category", "Value": "transactional-order"}},
		"TemplateDescription":  "Transactional order confirmation (sent by the order service through SendMessages).",
		"DefaultSubstitutions": jsonString(M{"User.UserAttributes.FirstName": "there"}),
	})

	// Recommendations from Personalize, four per message.
	email(tCartEmail, M{
		"Subject": "{{User.UserAttributes.FirstName}}, you left something behind",
		"HtmlPart": `<html><body><p>Your cart is waiting, {{User.UserAttributes.FirstName}}.</p>` +
			`<h2>Picked for you</h2><table><tr>` +
			`<td><img src="{{Recommendations.ImageURL.[0]}}"><br><a href="{{Recommendations.URL.[0]}}">{{Recommendations.Title.[0]}}</a> {{Recommendations.Price.[0]}}</td>` +
			`<td><img src="{{Recommendations.ImageURL.[1]}}"><br><a href="{{Recommendations.URL.[1]}}">{{Recommendations.Title.[1]}}</a> {{Recommendations.Price.[1]}}</td>` +
			`<td><img src="{{Recommendations.ImageURL.[2]}}"><br><a href="{{Recommendations.URL.[2]}}">{{Recommendations.Title.[2]}}</a></td>` +
			`<td><img src="{{Recommendations.ImageURL.[3]}}"><br><a href="{{Recommendations.URL.[3]}}">{{Recommendations.Title.[3]}}</a></td>` +
			`</tr></table><p>Cart value: {{Metrics.cartValue}} USD</p>` + emailFooter + `</body></html>`,
		"TextPart":             "Your cart is waiting. We also picked {{Recommendations.Title.[0]}} for you: {{Recommendations.URL.[0]}}",
		"RecommenderId":        "${rec.products}",
		"TemplateDescription":  "Abandoned cart with Personalize recommendations.",
		"DefaultSubstitutions": jsonString(M{"User.UserAttributes.FirstName": "friend"}),
		"tags":                 M{"team": "growth"},
	})
	email(tDigest, M{
		"Subject": "Your trail digest for the week of {{formatDate (now) \"MMM d\"}}",
		"HtmlPart": `<html><body><p>Hey {{User.UserAttributes.FirstName.[0]}},</p>` +
			`{{#each Attributes.interests}}<h3>New in {{this}}</h3>{{/each}}` +
			`{{#unless (eq Demographic.Locale "en_US")}}<p><a href="https://www.northwind.example.com/{{Demographic.Locale}}/digest">Read in your language</a></p>{{/unless}}` +
			emailFooter + `</body></html>`,
		"TextPart":             "This week's trail picks: https://www.northwind.example.com/digest",
		"DefaultSubstitutions": jsonString(M{"User.UserAttributes.FirstName": "hiker", "Demographic.Locale": "en_US"}),
		"TemplateDescription":  "Weekly newsletter.",
	})
	email(tBackInStock, M{
		"Subject":  "Back in stock: {{Attributes.watchedProduct}}",
		"HtmlPart": `<p>Good news {{User.UserAttributes.FirstName}} — {{Attributes.watchedProduct}} is back at {{Attributes.preferredStore}}.</p>` + emailFooter,
	})
	email(tFallSaleEmailA, M{
		"Subject":  "Fall gear sale: up to 40% off",
		"HtmlPart": `<p>{{User.UserAttributes.FirstName}}, the fall sale is on until {{Attributes.saleEnds}}.</p>` + emailFooter,
		"TextPart": "The fall sale is on: up to 40% off.", "TemplateDescription": "A/B test: control subject line.",
	})
	email(tFallSaleEmailB, M{
		"Subject":  "{{User.UserAttributes.FirstName}}, 40% off tents ends soon ⛺",
		"HtmlPart": `<p>{{User.UserAttributes.FirstName}}, tents and sleeping bags are up to 40% off.</p>` + emailFooter,
		"TextPart": "Tents and sleeping bags up to 40% off.", "TemplateDescription": "A/B test: personalised subject line.",
	})
	email(tTierUpgrade, M{
		"Subject": "You're now {{User.UserAttributes.LoyaltyTier}}!",
		"HtmlPart": `<p>Congratulations {{User.UserAttributes.FirstName}}! You reached {{User.UserAttributes.LoyaltyTier}} with {{Metrics.points}} points.</p>` +
			`{{#if (eq User.UserAttributes.LoyaltyTier "Platinum")}}<p>Free expedited shipping is now on for every order.</p>{{/if}}`,
		"DefaultSubstitutions": jsonString(M{"User.UserAttributes.LoyaltyTier": "a new tier"}),
		"tags":                 M{"team": "loyalty"},
	})
	email(tBirthday, M{
		"Subject":  "Happy birthday, {{User.UserAttributes.FirstName}} 🎂",
		"HtmlPart": `<p>Happy birthday! Here are 500 bonus points, valid until {{formatDate (now) "yyyy-MM-dd"}} + 30 days.</p>`,
		"TextPart": "Happy birthday! 500 bonus points are in your account.",
	})
	// A second version is a draft the team never activated.
	b.pp("UpdateEmailTemplate", M{"TemplateName": tBirthday, "CreateNewVersion": true, "EmailTemplateRequest": M{
		"Subject":  "🎉 {{User.UserAttributes.FirstName}}, a birthday gift from Trailhead Rewards",
		"HtmlPart": `<p>Happy birthday! Claim your gift in the app.</p>`,
	}})
	b.pp("UpdateTemplateActiveVersion", M{"TemplateName": tBirthday, "TemplateType": "EMAIL", "TemplateActiveVersionRequest": M{"Version": "1"}})
	email(tStatement, M{
		"Subject": "Your Northwind Pay statement is ready",
		"HtmlPart": `<p>Hello {{User.UserAttributes.FirstName}}, your statement for card ending {{Attributes.cardLast4}} is ready.</p>` +
			`<p>Balance: {{Metrics.statementBalance}} USD. Minimum due: {{Metrics.minimumDue}} USD by {{Attributes.dueDate}}.</p>`,
		"TextPart": "Your statement is ready. Balance {{Metrics.statementBalance}} USD, due {{Attributes.dueDate}}.",
		"Headers":  L{M{"Name": "X-Northwind-Category", "Value": "statement"}},
		"tags":     M{"team": "payments", "pci-scope": "false"},
	})

	// SMS ------------------------------------------------------------------

	// One-time passwords: sent by the auth service with SendOTPMessage /
	// SendMessages, used by no campaign or journey.
	sms(tOTPLogin, M{"Body": "Your Northwind code is {{Code}}. It expires in 10 minutes. Don't share it.", "TemplateDescription": "Login one-time password."})
	sms(tOTPPhone, M{"Body": "{{Code}} is your code to verify this phone for Northwind Pay.", "TemplateDescription": "Phone verification code."})
	sms(tShippedSMS, M{"Body": "Northwind: order {{Attributes.lastOrderId}} has shipped! Track: https://nw.example.com/t/{{Attributes.trackingId}}",
		"DefaultSubstitutions": jsonString(M{"Attributes.trackingId": "orders"})})
	sms(tFlashSMS, M{"Body": "Northwind: {{User.UserAttributes.FirstName}}, flash sale! 30% off {{Attributes.interests.[0]}} gear for 3 hours. Reply STOP to opt out.",
		"DefaultSubstitutions": jsonString(M{"User.UserAttributes.FirstName": "Hi", "Attributes.interests": "outdoor"})})
	b.pp("UpdateSmsTemplate", M{"TemplateName": tFlashSMS, "CreateNewVersion": true, "SMSTemplateRequest": M{
		"Body":                 "Northwind: flash sale, 30% off {{Attributes.interests.[0]}} gear until {{formatDate (now) \"h a\"}}. Reply STOP to opt out.",
		"DefaultSubstitutions": jsonString(M{"Attributes.interests": "outdoor"})}})
	sms(tPaymentSMS, M{"Body": "Northwind Pay: a payment of ${{Metrics.lastPaymentAmount}} was made on card ending {{Attributes.cardLast4}}. Not you? Call 1-800-555-0199."})
	sms(tFraudSMS, M{"Body": "Northwind Pay: did you try a ${{Metrics.flaggedAmount}} purchase at {{Attributes.flaggedMerchant}}? Reply YES or NO."})
	sms(tPointsSMS, M{"Body": "Trailhead Rewards: {{User.UserAttributes.FirstName}}, you have {{Metrics.points}} points. {{#if Metrics.pointsExpiring}}{{Metrics.pointsExpiring}} expire soon!{{/if}}"})

	// Push -----------------------------------------------------------------

	push(tCartPush, M{
		"Default":              M{"Title": "Still thinking it over?", "Body": "Your cart misses you, {{User.UserAttributes.FirstName}}.", "Action": "DEEP_LINK", "Url": "northwind://cart"},
		"APNS":                 M{"Title": "Still thinking it over?", "Body": "Your cart misses you, {{User.UserAttributes.FirstName}}.", "Sound": "default", "Action": "DEEP_LINK", "Url": "northwind://cart"},
		"GCM":                  M{"Title": "Still thinking it over?", "Body": "Your cart misses you.", "SmallImageIconUrl": "https://cdn.northwind.example.com/icons/cart.png", "Action": "DEEP_LINK", "Url": "northwind://cart"},
		"DefaultSubstitutions": jsonString(M{"User.UserAttributes.FirstName": "friend"}),
	})
	push(tFlashPush, M{
		"Default": M{"Title": "⚡ Flash sale", "Body": "30% off for the next 3 hours.", "Action": "URL", "Url": "https://www.northwind.example.com/flash"},
		"GCM":     M{"Title": "⚡ Flash sale", "Body": "30% off for the next 3 hours.", "ImageUrl": "https://cdn.northwind.example.com/promo/flash.jpg", "Action": "OPEN_APP"},
		"ADM":     M{"Title": "Flash sale", "Body": "30% off for the next 3 hours.", "Action": "OPEN_APP"},
		"Baidu":   M{"Title": "限时抢购", "Body": "未来3小时全场七折", "Action": "OPEN_APP"},
		"APNS":    M{"Title": "⚡ Flash sale", "Body": "30% off for the next 3 hours.", "MediaUrl": "https://cdn.northwind.example.com/promo/flash.jpg", "Sound": "chime.caf"},
	})
	push(tPointsPush, M{
		"Default":       M{"Title": "Points expiring", "Body": "{{Metrics.pointsExpiring}} points expire on {{Attributes.pointsExpiryDate}}.", "Action": "OPEN_APP"},
		"GCM":           M{"RawContent": `{"notification":{"title":"Points expiring","body":"{{Metrics.pointsExpiring}} points expire soon"},"data":{"screen":"rewards"}}`},
		"RecommenderId": "${rec.offers}",
	})
	push(tFraudPush, M{
		"Default": M{"Title": "Was this you?", "Body": "${{Metrics.flaggedAmount}} at {{Attributes.flaggedMerchant}}. Tap to confirm.", "Action": "DEEP_LINK", "Url": "northwindpay://fraud-check"},
		"APNS":    M{"Title": "Was this you?", "Body": "${{Metrics.flaggedAmount}} at {{Attributes.flaggedMerchant}}.", "Sound": "alert.caf", "Action": "DEEP_LINK", "Url": "northwindpay://fraud-check"},
	})

	// Voice ----------------------------------------------------------------

	voice(tOTPVoice, M{"Body": "<speak>Your Northwind verification code is <say-as interpret-as=\"characters\">{{Code}}</say-as>. Again: <say-as interpret-as=\"characters\">{{Code}}</say-as>.</speak>",
		"LanguageCode": "en-US", "VoiceId": "Joanna", "TemplateDescription": "Voice one-time password, used by no campaign."})
	voice(tFraudVoice, M{"Body": "Hello {{User.UserAttributes.FirstName}}. This is Northwind Pay. We noticed a purchase of {{Metrics.flaggedAmount}} dollars at {{Attributes.flaggedMerchant}}. If this was you, no action is needed.",
		"LanguageCode": "en-US", "VoiceId": "Matthew", "DefaultSubstitutions": jsonString(M{"User.UserAttributes.FirstName": "card member"})})
	b.pp("UpdateVoiceTemplate", M{"TemplateName": tFraudVoice, "CreateNewVersion": true, "VoiceTemplateRequest": M{
		"Body":         "Hola {{User.UserAttributes.FirstName}}. Le llama Northwind Pay. Detectamos una compra de {{Metrics.flaggedAmount}} dólares en {{Attributes.flaggedMerchant}}.",
		"LanguageCode": "es-US", "VoiceId": "Lupe"}})
	b.pp("UpdateTemplateActiveVersion", M{"TemplateName": tFraudVoice, "TemplateType": "VOICE", "TemplateActiveVersionRequest": M{"Version": "1"}})

	// In-app ---------------------------------------------------------------

	button := func(text, action, link string) M {
		d := M{"Text": text, "ButtonAction": action, "BackgroundColor": "#1B5E20", "TextColor": "#FFFFFF", "BorderRadius": 8}
		if link != "" {
			d["Link"] = link
		}
		return M{"DefaultConfig": d, "IOS": M{"ButtonAction": "DEEP_LINK", "Link": "northwind://" + text}, "Android": M{"ButtonAction": "DEEP_LINK", "Link": "northwind://" + text}}
	}
	slide := func(header, body, img string) M {
		return M{"BackgroundColor": "#F4F1EA", "ImageUrl": img,
			"HeaderConfig": M{"Alignment": "CENTER", "Header": header, "TextColor": "#1B1B1B"},
			"BodyConfig":   M{"Alignment": "LEFT", "Body": body, "TextColor": "#333333"},
			"PrimaryBtn":   button("next", "DEEP_LINK", "northwind://onboarding/next")}
	}
	inapp(tOnboardInApp, M{"Layout": "CAROUSEL", "Content": L{
		slide("Find your trail", "Save hikes near {{Location.City}}.", "https://cdn.northwind.example.com/inapp/1.png"),
		slide("Scan in store", "Check stock at {{Attributes.preferredStore}}.", "https://cdn.northwind.example.com/inapp/2.png"),
		M{"BackgroundColor": "#F4F1EA", "HeaderConfig": M{"Alignment": "CENTER", "Header": "You're set, {{User.UserAttributes.FirstName}}", "TextColor": "#1B1B1B"},
			"BodyConfig": M{"Alignment": "CENTER", "Body": "Happy trails!", "TextColor": "#333333"},
			"PrimaryBtn": M{"DefaultConfig": M{"Text": "Start shopping", "ButtonAction": "CLOSE"}}},
	}, "CustomConfig": M{"analyticsTag": "onboarding-2026"}, "TemplateDescription": "Three-slide onboarding carousel."})
	inapp(tRewardsBanner, M{"Layout": "BOTTOM_BANNER", "Content": L{M{
		"BackgroundColor": "#0D47A1",
		"BodyConfig":      M{"Alignment": "LEFT", "Body": "Double points this weekend on all {{Attributes.favoriteCategory}} gear!", "TextColor": "#FFFFFF"},
		"HeaderConfig":    M{"Alignment": "LEFT", "Header": "2× points", "TextColor": "#FFFFFF"},
		"PrimaryBtn":      button("rewards", "LINK", "https://rewards.northwind.example.com/double"),
		"SecondaryBtn":    M{"DefaultConfig": M{"Text": "Later", "ButtonAction": "CLOSE"}},
	}}, "tags": M{"team": "loyalty"}})

	// The European newsletter lives in eu-west-1 with its app.
	b.add(EURegion, "pinpoint", "CreateEmailTemplate", M{"TemplateName": tEUNewsletter, "EmailTemplateRequest": M{
		"Subject": "{{#if (eq Demographic.Locale \"de_DE\")}}Neu im Shop{{else}}New in store{{/if}}, {{User.UserAttributes.FirstName}}",
		"HtmlPart": `<p>{{#if (eq Demographic.Locale "de_DE")}}Hallo{{else}}Hello{{/if}} {{User.UserAttributes.FirstName}} aus {{Location.City}}!</p>` +
			`<p>Our store in {{Attributes.preferredStore}} has new arrivals.</p>`,
		"DefaultSubstitutions": jsonString(M{"Location.City": "Europe", "User.UserAttributes.FirstName": ""}),
	}}, nil)
}

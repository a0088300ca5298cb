package demoseed

import (
	"fmt"
	"strings"
)

// Endpoint population, per app. The totals are what the seed registers
// through UpdateEndpointsBatch; import jobs add a few more.
const (
	retailEndpoints  = 6200
	rewardsEndpoints = 2600
	payEndpoints     = 1500
	euEndpoints      = 120
	batchSize        = 100 // UpdateEndpointsBatch's limit
)

type city struct {
	name, region, country, postal, tz string
	lat, lon                          float64
	locales                           []string
	weight                            int
}

// Cities where Northwind's customers live; US-heavy, with accents and
// non-Latin scripts on purpose.
var cities = []city{
	{"Seattle", "WA", "US", "98101", "America/Los_Angeles", 47.6062, -122.3321, []string{"en_US"}, 14},
	{"Portland", "OR", "US", "97205", "America/Los_Angeles", 45.5152, -122.6784, []string{"en_US"}, 8},
	{"Denver", "CO", "US", "80202", "America/Denver", 39.7392, -104.9903, []string{"en_US"}, 8},
	{"Salt Lake City", "UT", "US", "84101", "America/Denver", 40.7608, -111.8910, []string{"en_US"}, 4},
	{"Chicago", "IL", "US", "60601", "America/Chicago", 41.8781, -87.6298, []string{"en_US", "es_US"}, 7},
	{"Austin", "TX", "US", "78701", "America/Chicago", 30.2672, -97.7431, []string{"en_US", "es_US"}, 6},
	{"New York", "NY", "US", "10001", "America/New_York", 40.7128, -74.0060, []string{"en_US", "es_US", "zh_CN"}, 9},
	{"Boston", "MA", "US", "02108", "America/New_York", 42.3601, -71.0589, []string{"en_US"}, 5},
	{"San Francisco", "CA", "US", "94103", "America/Los_Angeles", 37.7749, -122.4194, []string{"en_US", "zh_TW"}, 6},
	{"Miami", "FL", "US", "33130", "America/New_York", 25.7617, -80.1918, []string{"es_US", "en_US"}, 4},
	{"Anchorage", "AK", "US", "99501", "America/Anchorage", 61.2181, -149.9003, []string{"en_US"}, 2},
	{"Honolulu", "HI", "US", "96813", "Pacific/Honolulu", 21.3069, -157.8583, []string{"en_US"}, 1},
	{"Montréal", "QC", "CA", "H2X 1Y4", "America/Toronto", 45.5017, -73.5673, []string{"fr_CA", "en_CA"}, 4},
	{"Vancouver", "BC", "CA", "V6B 1A1", "America/Vancouver", 49.2827, -123.1207, []string{"en_CA"}, 3},
	{"Zürich", "ZH", "CH", "8001", "Europe/Zurich", 47.3769, 8.5417, []string{"de_CH"}, 1},
	{"München", "BY", "DE", "80331", "Europe/Berlin", 48.1351, 11.5820, []string{"de_DE"}, 1},
	{"São Paulo", "SP", "BR", "01310-100", "America/Sao_Paulo", -23.5505, -46.6333, []string{"pt_BR"}, 1},
	{"Ciudad de México", "CDMX", "MX", "06000", "America/Mexico_City", 19.4326, -99.1332, []string{"es_MX"}, 1},
	{"北京", "BJ", "CN", "100000", "Asia/Shanghai", 39.9042, 116.4074, []string{"zh_CN"}, 1},
	{"東京", "13", "JP", "100-0001", "Asia/Tokyo", 35.6762, 139.6503, []string{"ja_JP"}, 1},
	{"Reykjavík", "", "IS", "101", "Atlantic/Reykjavik", 64.1466, -21.9426, []string{"is_IS", "en_US"}, 1},
}

var euCities = []city{
	{"Berlin", "BE", "DE", "10115", "Europe/Berlin", 52.5200, 13.4050, []string{"de_DE"}, 3},
	{"Köln", "NW", "DE", "50667", "Europe/Berlin", 50.9375, 6.9603, []string{"de_DE"}, 2},
	{"Paris", "IDF", "FR", "75001", "Europe/Paris", 48.8566, 2.3522, []string{"fr_FR"}, 3},
	{"Dublin", "D", "IE", "D02", "Europe/Dublin", 53.3498, -6.2603, []string{"en_IE"}, 2},
	{"Kraków", "MA", "PL", "30-001", "Europe/Warsaw", 50.0647, 19.9450, []string{"pl_PL"}, 1},
}

type name struct{ display, ascii string }

var firstNames = []name{
	{"Emma", "emma"}, {"Liam", "liam"}, {"Olivia", "olivia"}, {"Noah", "noah"}, {"Ava", "ava"}, {"Ethan", "ethan"},
	{"Sophia", "sophia"}, {"Mason", "mason"}, {"Mia", "mia"}, {"Lucas", "lucas"}, {"Harper", "harper"}, {"Elijah", "elijah"},
	{"José", "jose"}, {"Zoë", "zoe"}, {"Chloé", "chloe"}, {"Renée", "renee"}, {"Björn", "bjorn"}, {"Jürgen", "jurgen"},
	{"Søren", "soren"}, {"Ángel", "angel"}, {"François", "francois"}, {"Łukasz", "lukasz"}, {"Siobhán", "siobhan"},
	{"伟", "wei"}, {"芳", "fang"}, {"さくら", "sakura"}, {"Nguyễn Anh", "anh"}, {"Aroha", "aroha"}, {"Priya", "priya"},
	{"Mateo", "mateo"}, {"Camila", "camila"}, {"Kai 🏄", "kai"}, {"Dakota", "dakota"}, {"Avery", "avery"},
}

var lastNames = []name{
	{"Smith", "smith"}, {"Johnson", "johnson"}, {"Williams", "williams"}, {"Brown", "brown"}, {"Garcia", "garcia"},
	{"Miller", "miller"}, {"Davis", "davis"}, {"Martinez", "martinez"}, {"Anderson", "anderson"}, {"Taylor", "taylor"},
	{"Müller", "mueller"}, {"García", "garcia"}, {"O'Brien", "obrien"}, {"Østergaard", "ostergaard"}, {"Kowalski", "kowalski"},
	{"Nakamura", "nakamura"}, {"王", "wang"}, {"李", "li"}, {"Dubois", "dubois"}, {"Silva", "silva"}, {"Haraldsdóttir", "haraldsdottir"},
	{"Lefèvre", "lefevre"}, {"Novák", "novak"}, {"Nguyen", "nguyen"}, {"Patel", "patel"},
}

var (
	interests   = []string{"hiking", "camping", "climbing", "trail-running", "running", "kayaking", "skiing", "snowboarding", "cycling", "fishing", "birding"}
	stores      = []string{"SEA-Flagship", "SEA-Ballard", "PDX-Pearl", "DEN-LoDo", "SLC-Downtown", "CHI-Loop", "NYC-Soho", "BOS-BackBay", "SFO-Mission", "ONLINE"}
	tiers       = []string{"Basecamp", "Silver", "Gold", "Platinum"}
	areaCodes   = []string{"206", "253", "425", "503", "971", "303", "720", "801", "312", "773", "512", "737", "212", "646", "917", "617", "415", "628", "305", "907", "808"}
	appVersions = []string{"5.1.0", "5.2.0", "5.2.1", "5.3.0", "5.3.1", "4.9.8", "4.1.2"}
	months      = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	merchants   = []string{"Trailside Café", "Peak Fuel #221", "Northwind SEA-Flagship", "Café Zürich", "ONLINE*NORTHWIND", "Bergsteiger GmbH"}
)

// gen draws from the builder's fixed random source.
type gen struct{ b *builder }

func (g gen) intn(n int) int        { return g.b.rng.IntN(n) }
func (g gen) chance(p float64) bool { return g.b.rng.Float64() < p }
func (g gen) pick(xs []string) string {
	return xs[g.intn(len(xs))]
}
func (g gen) hex(n int) string {
	const digits = "0123456789abcdef"
	var sb strings.Builder
	for i := 0; i < n; i++ {
		sb.WriteByte(digits[g.intn(16)])
	}
	return sb.String()
}
func (g gen) uuid() string {
	h := g.hex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}
func (g gen) city(cs []city) city {
	total := 0
	for _, c := range cs {
		total += c.weight
	}
	n := g.intn(total)
	for _, c := range cs {
		if n < c.weight {
			return c
		}
		n -= c.weight
	}
	return cs[0]
}

// date returns an ISO 8601 instant between from and to (YYYY-MM-DD).
func (g gen) date(fromY, fromM, toY, toM int) string {
	span := (toY-fromY)*12 + toM - fromM
	m := fromM + g.intn(span+1)
	y := fromY + (m-1)/12
	m = (m-1)%12 + 1
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:00.000Z", y, m, 1+g.intn(28), g.intn(24), g.intn(60))
}

func (g gen) phone() string {
	return "+1" + g.pick(areaCodes) + "55501" + fmt.Sprintf("%02d", g.intn(100))
}

func (g gen) interestList() L {
	n := 1 + g.intn(4)
	seen := map[string]bool{}
	out := L{}
	for len(out) < n {
		i := g.pick(interests)
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}

// appKind selects the attributes an app's endpoints carry.
type appKind int

const (
	kindRetail appKind = iota
	kindRewards
	kindPay
	kindEU
)

// population generates the endpoints of one app: users with an email, an
// SMS and push endpoints each (not all of them), anonymous push endpoints
// without a user, a few opted out or inactive.
func (g gen) population(kind appKind, prefix string, target int, cs []city) []M {
	var eps []M
	user := 0
	for len(eps) < target {
		user++
		c := g.city(cs)
		first, last := firstNames[g.intn(len(firstNames))], lastNames[g.intn(len(lastNames))]
		userID := fmt.Sprintf("%s-%06d", prefix, 100000+user)
		locale := c.locales[g.intn(len(c.locales))]
		loc := M{"City": c.name, "Country": c.country, "PostalCode": c.postal,
			"Latitude": round4(c.lat + (g.b.rng.Float64()-0.5)*0.2), "Longitude": round4(c.lon + (g.b.rng.Float64()-0.5)*0.2)}
		if c.region != "" {
			loc["Region"] = c.region
		}
		ua := M{"FirstName": list(first.display), "LastName": list(last.display)}
		attrs := M{}
		metrics := M{}
		switch kind {
		case kindRetail, kindEU:
			attrs["interests"] = g.interestList()
			attrs["preferredStore"] = list(g.pick(stores))
			attrs["signupDate"] = list(g.date(2023, 1, 2026, 8))
			attrs["lastPurchaseDate"] = list(g.date(2025, 9, 2026, 8))
			if g.chance(0.15) {
				attrs["cartStatus"] = list("abandoned")
				metrics["cartValue"] = float64(20 + g.intn(480))
			}
			if g.chance(0.1) {
				attrs["watchedProduct"] = list(g.pick([]string{"Alpine 2P Tent", "Ridge 65L Pack", "Trail Runner GTX", "Down Parka 800", "Summit Headlamp"}))
			}
			metrics["purchases"] = float64(g.intn(25))
			metrics["lifetimeValue"] = float64(g.intn(300000)) / 100
			metrics["sessions"] = float64(g.intn(200))
			if g.chance(0.4) {
				ua["LoyaltyTier"] = list(g.pick(tiers))
			}
			if g.chance(0.01) {
				ua["Employee"] = list("true")
			}
		case kindRewards:
			tier := tiers[min(g.intn(10)/3, 3)]
			ua["LoyaltyTier"] = list(tier)
			ua["BirthMonth"] = list(g.pick(months))
			ua["FavoriteCategories"] = g.interestList()
			attrs["favoriteCategory"] = list(g.pick(interests))
			attrs["memberSince"] = list(g.date(2019, 1, 2026, 8))
			metrics["points"] = float64(g.intn(40000))
			if g.chance(0.25) {
				metrics["pointsExpiring"] = float64(100 * (1 + g.intn(20)))
				attrs["pointsExpiryDate"] = list(g.date(2026, 9, 2026, 12))
			}
		case kindPay:
			attrs["cardLast4"] = list(fmt.Sprintf("%04d", g.intn(10000)))
			attrs["dueDate"] = list(g.date(2026, 9, 2026, 10))
			prefs := L{"payments"}
			if g.chance(0.7) {
				prefs = append(prefs, "fraud")
			}
			if g.chance(0.3) {
				prefs = append(prefs, "statements")
			}
			attrs["alertPrefs"] = prefs
			metrics["statementBalance"] = float64(g.intn(500000)) / 100
			metrics["minimumDue"] = float64(g.intn(5000)) / 100
			metrics["daysPastDue"] = float64(max(0, g.intn(60)-45))
		}
		demo := func(platform string) M {
			d := M{"Timezone": c.tz, "Locale": locale, "Platform": platform}
			switch platform {
			case "iOS":
				d["Make"], d["Model"], d["PlatformVersion"] = "Apple", g.pick([]string{"iPhone15,2", "iPhone16,1", "iPad13,4"}), g.pick([]string{"17.6", "18.5", "26.0"})
				d["AppVersion"] = g.pick(appVersions)
			case "Android":
				d["Make"], d["Model"], d["PlatformVersion"] = g.pick([]string{"Google", "Samsung", "OnePlus"}), g.pick([]string{"Pixel 8", "SM-S921B", "CPH2581"}), g.pick([]string{"14", "15", "16"})
				d["AppVersion"] = g.pick(appVersions)
			case "Fire OS":
				d["Make"], d["Model"], d["AppVersion"] = "Amazon", "KFTRWI", g.pick(appVersions)
			}
			return d
		}
		status := func(e M) M {
			if g.chance(0.03) {
				e["OptOut"] = "ALL"
			} else {
				e["OptOut"] = "NONE"
			}
			if g.chance(0.04) {
				e["EndpointStatus"] = "INACTIVE"
			} else {
				e["EndpointStatus"] = "ACTIVE"
			}
			return e
		}
		base := func(id, channel, address, platform string) M {
			e := M{"Id": id, "ChannelType": channel, "Address": address, "Location": loc, "Demographic": demo(platform),
				"Attributes": attrs, "Metrics": metrics, "User": M{"UserId": userID, "UserAttributes": ua},
				"EffectiveDate": g.date(2025, 1, 2026, 8)}
			return status(e)
		}
		domain := []string{"example.com", "example.org", "mail.example.com"}[g.intn(3)]
		if g.chance(0.9) {
			eps = append(eps, base("em-"+g.hex(24), "EMAIL", fmt.Sprintf("%s.%s.%d@%s", first.ascii, last.ascii, user, domain), "web"))
		}
		smsShare := map[appKind]float64{kindRetail: 0.55, kindRewards: 0.6, kindPay: 0.95, kindEU: 0.2}[kind]
		if g.chance(smsShare) {
			phone := g.phone()
			if kind == kindEU {
				phone = fmt.Sprintf("+4930%08d", 12345000+g.intn(1000))
			}
			eps = append(eps, base("sms-"+g.hex(24), "SMS", phone, "web"))
			if kind == kindPay && g.chance(0.2) {
				eps = append(eps, base("voice-"+g.hex(24), "VOICE", phone, "web"))
			}
		}
		pushShare := map[appKind]float64{kindRetail: 0.55, kindRewards: 0.5, kindPay: 0.45, kindEU: 0}[kind]
		if g.chance(pushShare) {
			eps = append(eps, g.pushEndpoint(kind, base, c))
			// Some shoppers have a phone and a tablet.
			if g.chance(0.15) {
				eps = append(eps, g.pushEndpoint(kind, base, c))
			}
		}
		// Anonymous devices: installed the app, never signed in.
		if kind != kindEU && g.chance(0.06) {
			e := g.pushEndpoint(kind, base, c)
			delete(e, "User")
			e["Attributes"] = M{"installSource": list(g.pick([]string{"app-store", "play-store", "qr-in-store"}))}
			e["Metrics"] = M{"sessions": float64(1 + g.intn(5))}
			eps = append(eps, e)
		}
	}
	return eps[:target]
}

func (g gen) pushEndpoint(kind appKind, base func(id, channel, address, platform string) M, c city) M {
	id := g.uuid()
	r := g.intn(100)
	switch {
	case kind == kindPay && r < 10:
		return base(id, "APNS_VOIP", g.hex(64), "iOS")
	case r < 45:
		return base(id, "APNS", g.hex(64), "iOS")
	case kind == kindRetail && r < 48:
		return base(id, "APNS_SANDBOX", g.hex(64), "iOS")
	case kind == kindRetail && c.country == "CN":
		return base(id, "BAIDU", fmt.Sprintf("%d", 3500000000000000000+int64(g.intn(1e9))), "Android")
	case kind == kindRetail && r < 52:
		return base(id, "ADM", "amzn1.adm-registration.v3."+g.hex(120), "Fire OS")
	default:
		return base(id, "GCM", g.hex(22)+":APA91b"+g.hex(134), "Android")
	}
}

func round4(f float64) float64 { return float64(int(f*10000)) / 10000 }

// oddEndpoints are accepted by Pinpoint but unusual; migrations trip on
// them.
func oddEndpoints() []M {
	return []M{
		{"Id": "odd-uppercase-email", "ChannelType": "EMAIL", "Address": "SHOUTING.CUSTOMER@EXAMPLE.COM", "User": M{"UserId": "nw-odd-1"}},
		{"Id": "odd-plus-address", "ChannelType": "EMAIL", "Address": "o'connor+trail-news@sub.example.org",
			"User": M{"UserId": "nw-odd-2", "UserAttributes": M{"FirstName": list("Dónal"), "Nickname": list("🦊 Fox")}}},
		{"Id": "odd-uk-mobile", "ChannelType": "SMS", "Address": "+447700900123", "Location": M{"Country": "GB", "City": "London"}},
		{"Id": "odd-no-location", "ChannelType": "EMAIL", "Address": "no.location@example.com", "Demographic": M{"Locale": "und"}},
		{"Id": "odd-long-attribute", "ChannelType": "EMAIL", "Address": "long.values@example.com",
			"Attributes": M{"interests": list(interests...), "note": list(strings.Repeat("x", 100))}},
		{"Id": "ODD-MixedCase-Id", "ChannelType": "EMAIL", "Address": "mixed.case.id@example.com", "User": M{"UserId": "NW-Odd-3"}},
		{"Id": "odd-zero-metrics", "ChannelType": "SMS", "Address": "+12065550100", "Metrics": M{"purchases": 0, "lifetimeValue": 0}, "OptOut": "ALL"},
		{"Id": "odd-emoji-city", "ChannelType": "EMAIL", "Address": "emoji.city@example.org", "Location": M{"City": "Llanfair⛰️", "Country": "GB"},
			"User": M{"UserId": "nw-odd-4", "UserAttributes": M{"FirstName": list("Ffion"), "LastName": list("ap Gruffydd")}}},
	}
}

func (b *builder) endpoints() {
	g := gen{b}
	retail := append(g.population(kindRetail, "nw-shop", retailEndpoints-len(oddEndpoints()), cities), oddEndpoints()...)
	b.batches(appRetail, "", retail)
	b.batches(appRewards, "", g.population(kindRewards, "nw-rewards", rewardsEndpoints, cities))
	b.batches(appPay, "", g.population(kindPay, "nw-pay", payEndpoints, cities))
	b.imports()
}

func (b *builder) batches(app, region string, eps []M) {
	for i := 0; i < len(eps); i += batchSize {
		chunk := eps[i:min(i+batchSize, len(eps))]
		items := make(L, len(chunk))
		for j, e := range chunk {
			items[j] = e
		}
		b.add(region, "pinpoint", "UpdateEndpointsBatch", M{"ApplicationId": "${" + app + "}", "EndpointBatchRequest": M{"Item": items}}, nil)
	}
}

// imports uploads two endpoint files and imports them as segments: a CSV
// list of VIP guests for the shop and a JSON file of members migrated from
// the old loyalty system.
func (b *builder) imports() {
	g := gen{b}
	const bucket = "northwind-pinpoint-imports"
	b.add("", "s3", "CreateBucket", M{"Bucket": bucket}, nil)

	var csv strings.Builder
	csv.WriteString("ChannelType,Address,Id,User.UserId,User.UserAttributes.FirstName,User.UserAttributes.LastName,Attributes.interests,Attributes.interests,Attributes.vipEvent,Location.Country,Location.City,Demographic.Timezone,Metrics.lifetimeValue\n")
	for i := 1; i <= 60; i++ {
		c := g.city(cities)
		first, last := firstNames[g.intn(len(firstNames))], lastNames[g.intn(len(lastNames))]
		fmt.Fprintf(&csv, "EMAIL,%s.%s.vip%d@example.com,vip-%04d,nw-shop-vip-%04d,%s,%s,%s,%s,fall-preview-2026,%s,%s,%s,%d\n",
			first.ascii, last.ascii, i, i, i, csvField(first.display), csvField(last.display), g.pick(interests), g.pick(interests), c.country, csvField(c.name), c.tz, 1500+g.intn(8000))
	}
	b.add("", "s3", "PutObject", M{"Bucket": bucket, "Key": "shop/vip-fall-preview-2026.csv", "Body": csv.String()}, nil)
	b.add("", "pinpoint", "CreateImportJob", M{"ApplicationId": "${" + appRetail + "}", "ImportJobRequest": M{
		"DefineSegment": true, "Format": "CSV", "RegisterEndpoints": true, "RoleArn": iamRole("pinpoint-import-s3-read"),
		"S3Url": "s3://" + bucket + "/shop/vip-fall-preview-2026.csv", "SegmentName": "VIP fall preview guests (imported)", "ExternalId": "nw-import-vip-2026"}},
		map[string]string{"job.vip": "Id", "seg.shop.vipImport": "Definition.SegmentId"})

	var nd strings.Builder
	for i := 1; i <= 40; i++ {
		first := firstNames[g.intn(len(firstNames))]
		ep := M{"ChannelType": "SMS", "Address": g.phone(), "Id": fmt.Sprintf("legacy-loyalty-%04d", i),
			"User":    M{"UserId": fmt.Sprintf("nw-rewards-legacy-%04d", i), "UserAttributes": M{"FirstName": list(first.display), "LoyaltyTier": list(g.pick(tiers)), "LegacyProgram": list("Summit Club")}},
			"Metrics": M{"points": float64(g.intn(20000))}, "Demographic": M{"Timezone": "America/Los_Angeles", "Locale": "en_US"}}
		nd.WriteString(jsonString(ep))
		nd.WriteString("\n")
	}
	b.add("", "s3", "PutObject", M{"Bucket": bucket, "Key": "rewards/summit-club-migration.json", "Body": nd.String()}, nil)
	b.add("", "pinpoint", "CreateImportJob", M{"ApplicationId": "${" + appRewards + "}", "ImportJobRequest": M{
		"DefineSegment": true, "Format": "JSON", "RegisterEndpoints": true, "RoleArn": iamRole("pinpoint-import-s3-read"),
		"S3Url": "s3://" + bucket + "/rewards/summit-club-migration.json", "SegmentName": "Summit Club migrated members (imported)"}},
		map[string]string{"job.summit": "Id", "seg.rewards.summitImport": "Definition.SegmentId"})
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

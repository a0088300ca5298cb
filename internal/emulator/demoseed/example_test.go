package demoseed_test

import (
	"fmt"
	"sort"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/demoseed"
)

// Applying the demo seed gives a fresh emulator Northwind Outfitters'
// account; the returned map holds the ids the seed saved by name. To get
// the seed as a file, run
//
//	P2C_WRITE_DEMO_SEED=demo-seed.json go test -run TestWriteExample ./internal/emulator/demoseed
func ExampleDemo() {
	seed := demoseed.Demo()
	e := emulator.New(emulator.Options{})
	if _, err := e.Apply(seed); err != nil {
		fmt.Println(err)
		return
	}
	count := map[string]int{}
	for _, c := range seed.Calls {
		count[c.Service+" "+c.Operation]++
	}
	var ops []string
	for op := range count {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		fmt.Printf("%3d %s\n", count[op], op)
	}
	// Output:
	//   5 connect CreateContactFlow
	//   2 connect CreateInstance
	//   5 connect CreateIntegrationAssociation
	//   2 connect ImportPhoneNumber
	//   4 connect UpdateInstanceAttribute
	//   2 connectcampaignsv2 StartInstanceOnboardingJob
	//   2 emulator SeedMetrics
	//   2 emulator SetSESProductionAccess
	//   1 emulator SettleConnect
	//   3 emulator VerifySESIdentity
	//   4 pinpoint CreateApp
	//  19 pinpoint CreateCampaign
	//  11 pinpoint CreateEmailTemplate
	//   2 pinpoint CreateImportJob
	//   2 pinpoint CreateInAppTemplate
	//   7 pinpoint CreateJourney
	//   4 pinpoint CreatePushTemplate
	//   2 pinpoint CreateRecommenderConfiguration
	//  38 pinpoint CreateSegment
	//   7 pinpoint CreateSmsTemplate
	//   2 pinpoint CreateVoiceTemplate
	//   4 pinpoint PutEventStream
	//   3 pinpoint TagResource
	//   1 pinpoint UpdateAdmChannel
	//   3 pinpoint UpdateApnsChannel
	//   1 pinpoint UpdateApnsSandboxChannel
	//   1 pinpoint UpdateApnsVoipChannel
	//   1 pinpoint UpdateApnsVoipSandboxChannel
	//   4 pinpoint UpdateApplicationSettings
	//   1 pinpoint UpdateBaiduChannel
	//   5 pinpoint UpdateCampaign
	//   4 pinpoint UpdateEmailChannel
	//   3 pinpoint UpdateEmailTemplate
	// 105 pinpoint UpdateEndpointsBatch
	//   3 pinpoint UpdateGcmChannel
	//   9 pinpoint UpdateJourneyState
	//   1 pinpoint UpdateRecommenderConfiguration
	//   5 pinpoint UpdateSegment
	//   3 pinpoint UpdateSmsChannel
	//   1 pinpoint UpdateSmsTemplate
	//   3 pinpoint UpdateTemplateActiveVersion
	//   2 pinpoint UpdateVoiceChannel
	//   1 pinpoint UpdateVoiceTemplate
	//   3 pinpoint-sms-voice-v2 AssociateOriginationIdentity
	//   2 pinpoint-sms-voice-v2 CreateConfigurationSet
	//   3 pinpoint-sms-voice-v2 CreateEventDestination
	//   2 pinpoint-sms-voice-v2 CreateOptOutList
	//   2 pinpoint-sms-voice-v2 CreatePool
	//   1 pinpoint-sms-voice-v2 CreateRegistration
	//   6 pinpoint-sms-voice-v2 PutKeyword
	//   8 pinpoint-sms-voice-v2 PutOptedOutNumber
	//   4 pinpoint-sms-voice-v2 PutRegistrationFieldValue
	//   6 pinpoint-sms-voice-v2 RequestPhoneNumber
	//   2 pinpoint-sms-voice-v2 RequestSenderId
	//   2 qconnect CreateKnowledgeBase
	//   1 s3 CreateBucket
	//   2 s3 PutObject
	//   4 sesv2 CreateConfigurationSet
	//   3 sesv2 CreateEmailIdentity
}

// Generated from rules/*.rules by RuleLibraryTests (SOE_RECORD=1 swift test --filter RuleLibraryTests); do not edit.
// The bundled rule sets, compiled into `soe` so that `builds on rsv_2014` finds them without a copy.

/// The text of every bundled rule file (`rules/*.rules`), by file name, sorted.
enum BundledRules {
    static let files: [(name: String, text: String)] = [
        (
            "anden_aktoer.rules",
            #"""
            # Screening: reel socialøkonomisk virksomhed eller "anden aktør" (kommunal praksis).
            # Ingen lov definerer en anden aktør. Screeningen følger projektet Socialøkonomisk Iværksætteri
            # (Jammerbugt og Frederikshavn Kommuner, nvs.nu) og dets vejledning til kommuner, og STAR's
            # undersøgelse fra april 2019. Alle tærskler uden lovhjemmel er navngivne politiske valg.

            ruleset anden_aktoer "Reel socialøkonomisk virksomhed eller anden aktør"
              en "Real social-economy enterprise or other actor"
              source "Kommunal praksis: Projektet Socialøkonomisk Iværksætteri (Jammerbugt og Frederikshavn Kommuner, nvs.nu), vejledning til kommuner: 'Man bør som kommune skelne mellem anden aktør-virksomheder og reelle socialøkonomiske virksomheder'; Bekendtgørelse om en aktiv beskæftigelsesindsats, § 65 (rimelighedskravet)"
              version "1.0"
              in force from 2019-01-01
              letter contact "Vurderingen er en screening efter kommunens praksis, ikke en registrering. Har virksomheden spørgsmål eller nye oplysninger, kan den kontakte kommunen."
                en "The assessment is a screening under the municipality's practice, not a registration. If the firm has questions or new information, it can contact the municipality."

            input own_cvr: yes/no "Har eget CVR-nummer" en "Has its own CVR number"
            input public_ownership: percent "Offentlig ejerandel" en "Public ownership share"
              min 0 % max 100 %

            input market_sales: money "Omsætning fra salg af varer og tjenester på markedet"
              en "Revenue from market sales"
              min 0 kr
            input municipal_employment_services: money
              "Salg af beskæftigelsesrettede og sociale ydelser til kommuner"
                en "Employment and social services sold to municipalities"
              min 0 kr
            input other_public_contracts: money "Andre offentlige kontrakter" en "Other public contracts"
              min 0 kr
            input grants: money "Tilskud, puljer, fondsmidler og donationer"
              en "Grants, pools, foundations and donations"
              min 0 kr

            input ordinary_employees: count "Ansatte i ordinære job" en "Employees in ordinary jobs"
            input fleksjob: count "Ansatte i fleksjob" en "Employees in flexi-jobs"
            input loentilskud: count "Ansatte med løntilskud" en "Employees with wage subsidy"
            input skaanejob: count "Ansatte i skånejob"
              en "Employees in sheltered jobs for early-retirement pensioners"
            input smaajob: count "Ansatte i småjob (få løntimer om ugen)"
              en "Employees in small jobs (a few paid hours a week)"
            input virksomhedspraktik: count "Personer i virksomhedspraktik (ulønnet)"
              en "People in unpaid work placement"

            parameter employment_services_share_max: percent
              "Andel af omsætningen fra beskæftigelsesrettede ydelser, over hvilken virksomheden er en anden aktør"
              policy "Projektet Socialøkonomisk Iværksætteri (Jammerbugt og Frederikshavn Kommuner, nvs.nu), vejledning til kommuner: 'Man bør som kommune skelne mellem anden aktør-virksomheder og reelle socialøkonomiske virksomheder': aktørvirksomheder har 'den største del' af omsætningen fra salg af sociale og beskæftigelsesrettede ydelser til kommunerne; den største del læses som mere end halvdelen"
              = 50 % from 2019-01-01
            parameter market_share_min: percent "Mindste andel af omsætningen fra salg på markedet"
              policy "Projektet Socialøkonomisk Iværksætteri (Jammerbugt og Frederikshavn Kommuner, nvs.nu), vejledning til kommuner: 'Man bør som kommune skelne mellem anden aktør-virksomheder og reelle socialøkonomiske virksomheder': en socialøkonomisk virksomhed har 'en erhvervsmæssig produktion af varer og tjenesteydelser på et marked'; her læst som mindst halvdelen af omsætningen"
              = 50 % from 2019-01-01
            parameter special_terms_share_min: percent "Mindste andel af de ansatte på særlige vilkår"
              policy "Projektet Socialøkonomisk Iværksætteri (Jammerbugt og Frederikshavn Kommuner, nvs.nu), vejledning til kommuner: 'Man bør som kommune skelne mellem anden aktør-virksomheder og reelle socialøkonomiske virksomheder': reelle arbejdspladser, løntimer og småjob for udsatte ledige; tærsklen følger SFI's afgrænsning med mindst 20 % udsatte medarbejdere"
              = 20 % from 2019-01-01
            parameter public_ownership_max: percent
              "Offentlig ejerandel, hvorfra virksomheden er offentligt kontrolleret"
              guidance "Erhvervsstyrelsen, Vejledning om registrering som registreret socialøkonomisk virksomhed, version 3.0 (2019), om lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 3"
              = 50 % from 2019-01-01
            parameter placement_staff_limit: count
              "Antal ordinært ansatte, op til hvilket forholdet 1 pr. 5 gælder"
              law "Bekendtgørelse om en aktiv beskæftigelsesindsats, § 65 (rimelighedskravet)"
              = 50 from 2019-01-01
            parameter placement_ratio_small: number
              "Ordinært ansatte pr. person i praktik eller løntilskud, op til grænsen"
              law "Bekendtgørelse om en aktiv beskæftigelsesindsats, § 65 (rimelighedskravet)"
              = 5 from 2019-01-01
            parameter placement_ratio_large: number
              "Ordinært ansatte pr. person i praktik eller løntilskud, ud over grænsen"
              law "Bekendtgørelse om en aktiv beskæftigelsesindsats, § 65 (rimelighedskravet)"
              = 10 from 2019-01-01

            value total_revenue "Samlet omsætning og tilskud" =
              market_sales + municipal_employment_services + other_public_contracts + grants
            value employment_services_share "Andel fra beskæftigelsesrettede ydelser til kommuner" =
              if total_revenue = 0 kr then 0 % else municipal_employment_services / total_revenue
            value market_share "Andel fra salg på markedet" =
              if total_revenue = 0 kr then 0 % else market_sales / total_revenue
            value special_terms_staff "Ansatte på særlige vilkår" = fleksjob + loentilskud + skaanejob + smaajob
            value staff "Ansatte i alt" = ordinary_employees + special_terms_staff
            value special_terms_share "Andel af de ansatte på særlige vilkår" =
              if staff = 0 then 0 % else special_terms_staff / staff
            value placements "Personer i praktik eller løntilskud" = virksomhedspraktik + loentilskud
            value placement_limit "Højeste antal i praktik eller løntilskud efter § 65" =
              if ordinary_employees <= placement_staff_limit
              then max(1, ordinary_employees / placement_ratio_small)
              else placement_staff_limit / placement_ratio_small
                + (ordinary_employees - placement_staff_limit) / placement_ratio_large

            criterion eligible "Selvstændig virksomhed med eget CVR-nummer"
              en "An independent firm with its own CVR number"
              cite "Haderslev Kommune, Sekretariat og Udvikling, 'Strategi for arbejdet med socialøkonomi og socialøkonomiske virksomheder i Haderslev Kommune – gældende frem til udgangen af 2023', notat af 17. februar 2021, kendetegn 5 (virksomheden har et CVR-nummer); jf. lov nr. 711 af 25. juni 2014, § 4"
              = own_cvr
            criterion publicly_controlled "Offentligt kontrolleret" en "Controlled by the public sector"
              cite "Lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 3, med grænsen fra Erhvervsstyrelsens vejledning, version 3.0 (2019)"
              = public_ownership >= public_ownership_max
            criterion lives_off_employment_services
              "Den største del af omsætningen kommer fra beskæftigelsesrettede ydelser til kommuner"
                en "Most of the revenue comes from employment services sold to municipalities"
              cite "Projektet Socialøkonomisk Iværksætteri (Jammerbugt og Frederikshavn Kommuner, nvs.nu), vejledning til kommuner: 'Man bør som kommune skelne mellem anden aktør-virksomheder og reelle socialøkonomiske virksomheder': aktørvirksomheder har den største del af omsætningen fra salg til kommunerne"
              = employment_services_share > employment_services_share_max
            criterion market_based "Produktion af varer og tjenester på et marked"
              en "Produces goods and services for a market"
              cite "Projektet Socialøkonomisk Iværksætteri (Jammerbugt og Frederikshavn Kommuner, nvs.nu), vejledning til kommuner: 'Man bør som kommune skelne mellem anden aktør-virksomheder og reelle socialøkonomiske virksomheder': erhvervsmæssig produktion af varer og tjenesteydelser på et marked"
              = market_share >= market_share_min
            criterion creates_paid_jobs "Reelle, lønnede job for udsatte ledige"
              en "Real paid jobs for vulnerable unemployed people"
              cite "Projektet Socialøkonomisk Iværksætteri (Jammerbugt og Frederikshavn Kommuner, nvs.nu), vejledning til kommuner: 'Man bør som kommune skelne mellem anden aktør-virksomheder og reelle socialøkonomiske virksomheder': reelle arbejdspladser, løntimer og småjobs for udsatte ledige"
              = special_terms_staff >= 1 and special_terms_share >= special_terms_share_min
            criterion placements_reasonable "Praktik og løntilskud inden for rimelighedskravet"
              en "Placements within the reasonableness rule"
              cite "Bekendtgørelse om en aktiv beskæftigelsesindsats, § 65 (rimelighedskravet)"
              = placements <= placement_limit

            classify
              not_eligible "Ikke en selvstændig virksomhed" en "Not an independent firm"
                when not eligible
                reason "Virksomheden har ikke eget CVR-nummer" en "The firm has no CVR number of its own"
                tone neutral
              public_controlled "Offentligt kontrolleret" en "Controlled by the public sector"
                when publicly_controlled
                reason "Det offentlige ejer halvdelen eller mere" en "Public authorities own half or more"
                tone neutral
              anden_aktoer "Anden aktør" en "Other actor (anden aktør)"
                when lives_off_employment_services
                reason "Den største del af omsætningen er salg af beskæftigelsesrettede ydelser til kommuner"
                  en "Most of the revenue is employment services sold to municipalities"
                tone unfavourable
              social_economy "Reel socialøkonomisk virksomhed" en "Real social-economy enterprise"
                when all of market_based, creates_paid_jobs, placements_reasonable
                reason "Markedsbaseret produktion med lønnede job for udsatte og rimeligt brug af praktik"
                  en "Market-based production with paid jobs for vulnerable people and reasonable use of placements"
                tone favourable
              otherwise ordinary "Ordinær virksomhed" en "Ordinary business"
                reason "Hverken anden aktør eller socialøkonomisk efter screeningen"
                  en "Neither other actor nor social-economy by the screening"
                tone neutral
            """# + "\n"
        ),
        (
            "haderslev_2021.rules",
            #"""
            # Haderslev Kommunes kendetegn for en socialøkonomisk virksomhed, strategi 2021-2023
            # (Haderslev Kommune, Sekretariat og Udvikling, notat af 17. februar 2021). Bygger på den nationale regel (rsv_2014) i stedet
            # for at kopiere den: § 4 (CVR) og uafhængighed (§ 5, stk. 1, nr. 3) genbruges uændret.

            ruleset haderslev_2021 "Haderslev Kommune: socialøkonomisk virksomhed"
              en "Haderslev municipality: social-economy enterprise"
              builds on rsv_2014
              source "Haderslev Kommune, Sekretariat og Udvikling, 'Strategi for arbejdet med socialøkonomi og socialøkonomiske virksomheder i Haderslev Kommune – gældende frem til udgangen af 2023', notat af 17. februar 2021"
              version "1.0"
              in force from 2021-02-17 until 2023-12-31
              letter contact "Spørgsmål til vurderingen kan rettes til Haderslev Kommune, Sekretariat og Udvikling."
                en "Questions about the assessment can be sent to Haderslev Kommune, Sekretariat og Udvikling."

            override parameter commercial_share_min
              policy "Haderslev Kommune, Sekretariat og Udvikling, 'Strategi for arbejdet med socialøkonomi og socialøkonomiske virksomheder i Haderslev Kommune – gældende frem til udgangen af 2023', notat af 17. februar 2021, kendetegn 2: 'et salg af ydelser og/eller produkter'; strategien sætter ingen andel, her læst som mindst en tiendedel af indtægterne"
              = 10 % from 2021-02-17

            override criterion social_purpose "Socialt, sundheds- eller miljømæssigt formål"
              en "Social, health or environmental purpose"
              cite "Haderslev Kommune, Sekretariat og Udvikling, 'Strategi for arbejdet med socialøkonomi og socialøkonomiske virksomheder i Haderslev Kommune – gældende frem til udgangen af 2023', notat af 17. februar 2021, kendetegn 1"
              = purpose_category is one of social, beskaeftigelse, sundhed, miljoe

            criterion reinvests_surplus "Geninvesterer et eventuelt overskud i virksomheden og formålet"
              en "Reinvests any surplus"
              cite "Haderslev Kommune, Sekretariat og Udvikling, 'Strategi for arbejdet med socialøkonomi og socialøkonomiske virksomheder i Haderslev Kommune – gældende frem til udgangen af 2023', notat af 17. februar 2021, kendetegn 3"
              = dividend = 0 kr

            override classify
              not_eligible "Kan ikke anerkendes: ingen selvstændig juridisk person med CVR-nummer"
                en "Not eligible: no legal person with a CVR number"
                when not eligible
                reason "Kendetegn 5: virksomheden skal være en selvstændig juridisk person (ikke en enkeltmandsvirksomhed eller et sameje) med eget CVR-nummer og hjemsted i EU/EØS"
                  en "Characteristic 5: the firm must be a legal person (not a sole proprietorship or a co-ownership) with its own CVR number, based in the EU/EEA"
                tone unfavourable
              public_controlled "Offentligt kontrolleret" en "Controlled by the public sector"
                when not independent
                reason "Kendetegn 4: virksomheden er ikke organisatorisk uafhængig af den offentlige sektor"
                  en "Characteristic 4: the firm is not independent of the public sector"
                tone unfavourable
              social_economy "Socialøkonomisk virksomhed i Haderslev Kommune"
                en "Social-economy enterprise in Haderslev municipality"
                when all of social_purpose, commercial, reinvests_surplus
                reason "Kendetegn 1-5 i strategien er opfyldt" en "Characteristics 1-5 of the strategy are met"
                tone favourable
              otherwise ordinary "Ordinær virksomhed" en "Ordinary business"
                reason "Et eller flere af strategiens kendetegn er ikke opfyldt"
                  en "One or more characteristics are not met"
                tone unfavourable
            """# + "\n"
        ),
        (
            "rsv_2014.rules",
            #"""
            # Registreret socialøkonomisk virksomhed (RSV) efter lov nr. 711 af 25. juni 2014.
            # Kilder: loven §§ 2, 4, 5, 8, 10 (retsinformation.dk); Erhvervsstyrelsens vejledning v3.0 (2019);
            # Kooperationen, "Socialøkonomi" (kooperationen.dk); Socialstyrelsen, nyhed af 5. september 2014.

            ruleset rsv_2014 "Registreret socialøkonomisk virksomhed" en "Registered social-economy enterprise"
              source "Lov nr. 711 af 25. juni 2014 om registrerede socialøkonomiske virksomheder, https://www.retsinformation.dk/eli/lta/2014/711"
              version "1.0"
              in force from 2015-01-01
              letter contact "Har virksomheden spørgsmål til vurderingen, kan den kontakte os og oplyse sit CVR-nummer og regnskabsåret."
                en "If the firm has questions about the assessment, it can contact us, giving its CVR number and the fiscal year."
              letter appeal "Mener virksomheden, at oplysningerne eller vurderingen er forkerte, kan den sende os sine bemærkninger med dokumentation, før der træffes afgørelse om registrering efter lov nr. 711 af 25. juni 2014."
                en "If the firm believes that the information or the assessment is wrong, it can send us its comments with documentation before a decision on registration under Act no. 711 of 25 June 2014 is made."

            # --- § 4: hvem kan registreres ---------------------------------------------------------------

            input legal_form: one of aps, as, ps, is, ks, amba, fmba, smba, forening, erhvervsdrivende_fond,
                fond, selvejende_institution, enkeltmandsvirksomhed, sameje
              "Virksomhedsform" en "Legal form"
            input own_cvr: yes/no "Har eget CVR-nummer" en "Has its own CVR number"
            input seat_in_eu_eea: yes/no "Hjemsted i Danmark eller et andet EU/EØS-land"
              en "Based in Denmark or the EU/EEA"

            # --- § 5, stk. 1, nr. 1: socialt formål --------------------------------------------------------

            input purpose_in_statutes: yes/no "Det sociale formål står i vedtægterne som det primære formål"
              en "Social purpose in the statutes as the primary purpose"
            input purpose_category: one of social, beskaeftigelse, sundhed, miljoe, kultur, andet
              "Formålets art" en "Kind of purpose"

            # --- § 5, stk. 1, nr. 2: erhvervsdrivende ------------------------------------------------------

            input market_sales: money "Omsætning fra salg af varer og tjenester på markedet"
              en "Revenue from market sales"
              min 0 kr
            input municipal_employment_services: money
              "Salg af beskæftigelsesrettede og sociale ydelser til kommuner"
                en "Employment and social services sold to municipalities"
              min 0 kr
            input other_public_contracts: money "Andre offentlige kontrakter" en "Other public contracts"
              min 0 kr
            input grants: money "Tilskud, puljer, fondsmidler og donationer"
              en "Grants, pools, foundations and donations"
              min 0 kr

            # --- § 5, stk. 1, nr. 3: uafhængig af det offentlige ---------------------------------------------

            input public_ownership: percent "Offentlig ejerandel" en "Public ownership share"
              min 0 % max 100 %
            input public_board_share: percent "Andel af bestyrelsen udpeget af offentlige myndigheder"
              en "Share of the board appointed by public authorities"
              min 0 % max 100 %
            input public_decision_rights: yes/no
              "En offentlig myndighed har formel beslutningsret over ledelsen"
                en "A public authority has formal decision rights"

            # --- § 5, stk. 1, nr. 4: inddragende og ansvarlig ledelse ----------------------------------------

            input stakeholder_involvement: yes/no
              "Medarbejdere, kunder, samarbejdspartnere og interessenter inddrages"
                en "Stakeholders are involved"
            input management_pay_usual: yes/no "Ledelsens løn er ikke højere end sædvanligt"
              en "Management pay is not above what is usual"

            # --- § 5, stk. 1, nr. 5, og stk. 2: socialt ansvarlig håndtering af overskud ---------------------

            input profit_after_tax: money "Resultat efter skat" en "Profit after tax"
            input dividend: money "Udbytte udbetalt af årets resultat"
              en "Dividend paid out of the year's profit"
              min 0 kr
            input annual_return: percent "Ejernes årlige afkast af indskudt kapital"
              en "Owners' annual return on paid-in capital"
            input discount_rate: percent "Nationalbankens officielle diskonto i regnskabsåret"
              en "The official discount rate in the fiscal year"
            input paid_in_capital: money "Indskudt kapital" en "Paid-in capital"
              min 0 kr
            input cumulative_distributions: money "Samlede udlodninger til ejerne i ejerperioden"
              en "Cumulative distributions to owners"
              min 0 kr
            input reasonable_return_amount: money "Rimeligt afkast i ejerperioden, som vurderet i sagen"
              en "Reasonable return over the ownership period, as assessed"
              min 0 kr
            input statutes_asset_lock: yes/no
              "Vedtægterne binder overskud ved opløsning og kapitalnedsættelse (§ 10)"
                en "Statutes lock assets on dissolution (§ 10)"

            # --- Tærskler ---------------------------------------------------------------------------------

            parameter commercial_share_min: percent "Mindste andel af indtægterne fra salg"
              en "Minimum share of income from sales"
              policy "Lov nr. 711 af 25. juni 2014 fastsætter ingen andel (§ 5, stk. 1, nr. 2: 'ikke ubetydelig'); her læst som mindst en fjerdedel af indtægterne"
              = 25 % from 2015-01-01
            parameter public_ownership_max: percent
              "Offentlig ejerandel, hvorfra virksomheden ikke er uafhængig"
              guidance "Erhvervsstyrelsen, Vejledning om registrering som registreret socialøkonomisk virksomhed, version 3.0 (2019), om lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 3: offentligt ejerskab på 50 % eller mere er bestemmende indflydelse"
              = 50 % from 2015-01-01
            parameter public_board_max: percent
              "Andel af bestyrelsen udpeget af det offentlige, hvorfra der er bestemmende indflydelse"
              policy "Lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 3, fastsætter ingen andel; her læst som halvdelen af bestyrelsen, som ved ejerskab"
              = 50 % from 2015-01-01
            parameter dividend_cap: percent "Højeste udbytte i forhold til resultat efter skat"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 35 % from 2015-01-01
            parameter return_margin: percent
              "Tillæg til diskontoen for det højeste rimelige årlige afkast (procentpoint)"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 15 % from 2015-01-01

            # --- Afledte værdier --------------------------------------------------------------------------

            value total_income "Samlede indtægter" =
              market_sales + municipal_employment_services + other_public_contracts + grants
            value sales_income "Indtægter fra salg" =
              market_sales + municipal_employment_services + other_public_contracts
            value sales_share "Andel af indtægterne fra salg" =
              if total_income = 0 kr then 0 % else sales_income / total_income
            value dividend_limit "Højeste tilladte udbytte" = max(0 kr, dividend_cap * profit_after_tax)

            # --- Kriterier --------------------------------------------------------------------------------

            criterion eligible "Selvstændig juridisk person med eget CVR-nummer og hjemsted i EU/EØS"
              en "Legal person with its own CVR number, based in the EU/EEA"
              cite "Lov nr. 711 af 25. juni 2014, § 4"
              = legal_form is not one of enkeltmandsvirksomhed, sameje and own_cvr and seat_in_eu_eea
            criterion social_purpose "Socialt formål som primært formål i vedtægterne"
              en "Social purpose as the primary purpose"
              cite "Lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 1"
              = purpose_in_statutes and purpose_category is not andet
            criterion commercial "Erhvervsdrivende: salg er en ikke ubetydelig del af indtægterne"
              en "Commercial activity"
              cite "Lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 2"
              = sales_income > 0 kr and sales_share >= commercial_share_min
            criterion independent "Uafhængig af den offentlige sektor" en "Independent of the public sector"
              cite "Lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 3"
              = public_ownership < public_ownership_max and public_board_share < public_board_max
                and not public_decision_rights
            criterion inclusive "Inddragende og ansvarlig ledelse" en "Inclusive and responsible management"
              cite "Lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 4"
              = stakeholder_involvement and management_pay_usual
            criterion limited_dividend "Udbytte højst 35 % af resultat efter skat"
              en "Dividend at most 35 % of profit after tax"
              cite "Lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 5, litra d, og stk. 2"
              = dividend <= dividend_limit
            criterion reasonable_return "Årligt afkast højst diskontoen plus 15 procentpoint"
              en "Annual return at most the discount rate plus 15 points"
              cite "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = dividend = 0 kr or annual_return <= discount_rate + return_margin
            criterion capital_lock "Udlodninger højst indskudt kapital plus rimeligt afkast"
              en "Distributions at most paid-in capital plus a reasonable return"
              cite "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = cumulative_distributions <= paid_in_capital + reasonable_return_amount
            criterion asset_lock "Formuebinding ved opløsning og kapitalnedsættelse"
              en "Asset lock on dissolution"
              cite "Lov nr. 711 af 25. juni 2014, § 10"
              = statutes_asset_lock

            # --- Klassifikation ---------------------------------------------------------------------------

            classify
              not_eligible "Kan ikke registreres" en "Not eligible"
                when not eligible
                reason "Virksomheden er ikke en selvstændig juridisk person med eget CVR-nummer og hjemsted i EU/EØS (§ 4)"
                  en "Not a legal person with its own CVR number based in the EU/EEA (§ 4)"
                tone unfavourable
              public_controlled "Offentligt kontrolleret" en "Controlled by the public sector"
                when not independent
                reason "En offentlig myndighed har bestemmende indflydelse (§ 5, stk. 1, nr. 3)"
                  en "A public authority has controlling influence (§ 5, stk. 1, nr. 3)"
                tone unfavourable
              social_economy "Socialøkonomisk virksomhed (kan registreres)"
                en "Social-economy enterprise (can be registered)"
                when all of social_purpose, commercial, inclusive, limited_dividend, reasonable_return,
                  capital_lock, asset_lock
                reason "Alle kriterier i § 5 er opfyldt" en "All criteria of § 5 are met"
                tone favourable
              otherwise ordinary "Ordinær virksomhed" en "Ordinary business"
                reason "Et eller flere kriterier i § 5 er ikke opfyldt"
                  en "One or more criteria of § 5 are not met"
                tone unfavourable
            """# + "\n"
        ),
    ]
}

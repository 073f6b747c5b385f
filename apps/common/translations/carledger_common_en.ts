<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CarEvents</name>
    <message>
        <location filename="../car_events.cc" line="53"/>
        <source>Registered at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="58"/>
        <source>Inspected by %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="63"/>
        <source>Odometer rollback: %1 after %2 before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="68"/>
        <source>Listed at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="71"/>
        <source>Repriced from %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="74"/>
        <source>Delisted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="76"/>
        <source>Escrow opened at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="80"/>
        <source>Handed over to the buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="82"/>
        <source>Disputed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="85"/>
        <source>Sold for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="88"/>
        <source>Escrow cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="89"/>
        <source>Buyer refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="91"/>
        <source>Flagged for fraud: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="94"/>
        <source>Listing taken down after reports</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Enum</name>
    <message>
        <location filename="../format.cc" line="52"/>
        <source>gasoline</source>
        <translation>Gasoline</translation>
    </message>
    <message>
        <location filename="../format.cc" line="52"/>
        <source>diesel</source>
        <translation>Diesel</translation>
    </message>
    <message>
        <location filename="../format.cc" line="53"/>
        <source>lpg</source>
        <translation>LPG</translation>
    </message>
    <message>
        <location filename="../format.cc" line="53"/>
        <source>hybrid</source>
        <translation>Hybrid</translation>
    </message>
    <message>
        <location filename="../format.cc" line="54"/>
        <source>electric</source>
        <translation>Electric</translation>
    </message>
    <message>
        <location filename="../format.cc" line="54"/>
        <source>hydrogen</source>
        <translation>Hydrogen</translation>
    </message>
    <message>
        <location filename="../format.cc" line="55"/>
        <source>automatic</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <location filename="../format.cc" line="55"/>
        <source>manual</source>
        <translation>Manual</translation>
    </message>
    <message>
        <location filename="../format.cc" line="56"/>
        <source>semi-auto</source>
        <translation>Semi-automatic</translation>
    </message>
    <message>
        <location filename="../format.cc" line="56"/>
        <source>cvt</source>
        <translation>CVT</translation>
    </message>
    <message>
        <location filename="../format.cc" line="57"/>
        <source>FUNDED</source>
        <translation>Funded</translation>
    </message>
    <message>
        <location filename="../format.cc" line="57"/>
        <source>HANDED_OVER</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <location filename="../format.cc" line="58"/>
        <source>DISPUTED</source>
        <translation>Disputed</translation>
    </message>
    <message>
        <location filename="../format.cc" line="58"/>
        <source>COMPLETED</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../format.cc" line="59"/>
        <source>CANCELLED</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../format.cc" line="59"/>
        <source>REFUNDED</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <location filename="../format.cc" line="60"/>
        <source>requested</source>
        <translation>Requested</translation>
    </message>
    <message>
        <location filename="../format.cc" line="60"/>
        <source>accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../format.cc" line="61"/>
        <source>inspected</source>
        <translation>Inspected</translation>
    </message>
    <message>
        <location filename="../format.cc" line="61"/>
        <source>declined</source>
        <translation>Declined</translation>
    </message>
    <message>
        <location filename="../format.cc" line="62"/>
        <source>pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location filename="../format.cc" line="62"/>
        <source>approved</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../format.cc" line="63"/>
        <source>registered</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../format.cc" line="63"/>
        <source>listed</source>
        <translation>Listed</translation>
    </message>
    <message>
        <location filename="../format.cc" line="64"/>
        <source>in_escrow</source>
        <translation>In escrow</translation>
    </message>
</context>
<context>
    <name>KeyStore</name>
    <message>
        <location filename="../key_store.cc" line="16"/>
        <source>no wallet key at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="18"/>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="28"/>
        <source>the key file is not an encrypted CarLedger wallet key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="35"/>
        <source>wrong passphrase for the wallet key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="44"/>
        <location filename="../key_store.cc" line="51"/>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="77"/>
        <source>passphrase: at least 8 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="81"/>
        <source>a wallet key for %1 already exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="87"/>
        <location filename="../key_store.cc" line="118"/>
        <source>cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="111"/>
        <source>a wallet key for %1 already exists; replace it explicitly</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::Connection</name>
    <message>
        <location filename="../connection.cc" line="43"/>
        <source>no node to connect to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../connection.cc" line="105"/>
        <source>no node of the network answered (last: %1: %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::ConnectionIndicator</name>
    <message>
        <location filename="../status_widgets.cc" line="61"/>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="65"/>
        <source>● %1 · block %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="65"/>
        <source>● %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="69"/>
        <source>Node unavailable, switching to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="73"/>
        <source>Offline: no node answers</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::HistoryVerifier</name>
    <message>
        <location filename="../history_verifier.cc" line="13"/>
        <source>the network&apos;s CA certificate is unreadable: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::InspectionPanels</name>
    <message>
        <location filename="../inspection_panels.cc" line="28"/>
        <source>Radiator support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="30"/>
        <source>Hood</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="32"/>
        <source>Front fender (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="35"/>
        <source>Front fender (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="38"/>
        <source>Front door (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="41"/>
        <source>Front door (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="43"/>
        <source>Rear door (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="46"/>
        <source>Rear door (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="49"/>
        <source>Quarter panel (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="52"/>
        <source>Quarter panel (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="54"/>
        <source>Roof panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="56"/>
        <source>Trunk lid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="58"/>
        <source>A pillar (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="60"/>
        <source>A pillar (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="62"/>
        <source>B pillar (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="64"/>
        <source>B pillar (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="66"/>
        <source>C pillar (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="68"/>
        <source>C pillar (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="71"/>
        <source>Front side member (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="74"/>
        <source>Front side member (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="77"/>
        <source>Rear side member (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="80"/>
        <source>Rear side member (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="83"/>
        <source>Front wheel house (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="86"/>
        <source>Front wheel house (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="89"/>
        <source>Rear wheel house (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="92"/>
        <source>Rear wheel house (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="95"/>
        <source>Inside panel (left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="98"/>
        <source>Inside panel (right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="100"/>
        <source>Dash panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="102"/>
        <source>Floor panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="104"/>
        <source>Trunk floor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="106"/>
        <source>Rear panel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::InspectionSheet</name>
    <message>
        <location filename="../inspection_sheet.cc" line="60"/>
        <source>good</source>
        <comment>state</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="61"/>
        <source>needs repair</source>
        <comment>state</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="62"/>
        <source>faulty</source>
        <comment>gauge</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="64"/>
        <source>unknown</source>
        <comment>gauge</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="65"/>
        <source>leak</source>
        <comment>state</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="67"/>
        <source>automatic</source>
        <translation type="unfinished">Automatic</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="68"/>
        <source>manual</source>
        <translation type="unfinished">Manual</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="69"/>
        <source>semi-automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="70"/>
        <source>CVT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="72"/>
        <source>self-warranty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="73"/>
        <source>insurance company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="75"/>
        <source>mismatch</source>
        <comment>identity check</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="76"/>
        <source>corroded</source>
        <comment>identity check</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="77"/>
        <source>damaged</source>
        <comment>identity check</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="78"/>
        <source>altered (re-stamped)</source>
        <comment>identity check</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="79"/>
        <source>painted over</source>
        <comment>identity check</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="82"/>
        <source>none</source>
        <comment>usage history</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="83"/>
        <source>rental</source>
        <comment>usage history</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="84"/>
        <source>commercial</source>
        <comment>usage history</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="92"/>
        <source>Engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="93"/>
        <location filename="../inspection_sheet.cc" line="200"/>
        <source>Transmission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="94"/>
        <source>Power train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="95"/>
        <source>Steering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="96"/>
        <source>Brakes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="97"/>
        <source>Electrical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="98"/>
        <source>Fuel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="99"/>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="100"/>
        <source>idling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="101"/>
        <source>oil leak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="103"/>
        <source>oil level / contamination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="104"/>
        <source>coolant leak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="105"/>
        <source>common rail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="106"/>
        <source>A/T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="107"/>
        <source>M/T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="108"/>
        <source>clutch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="109"/>
        <source>CV joint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="110"/>
        <source>propeller shaft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="111"/>
        <source>gear box</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="112"/>
        <source>pump</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="113"/>
        <source>tie-rod end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="114"/>
        <source>fluid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="115"/>
        <source>booster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="116"/>
        <source>alternator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="117"/>
        <source>starter motor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="118"/>
        <source>fuel leak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="158"/>
        <source>Used car performance and condition inspection record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="189"/>
        <source>Vehicle (front page)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="194"/>
        <source>Registration plate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="195"/>
        <source>Model year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="196"/>
        <source>First registration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="197"/>
        <source>Odometer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="198"/>
        <source>Gauge state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="199"/>
        <source>Engine type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="201"/>
        <source>Warranty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="202"/>
        <source>Identity check (VIN, plate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="203"/>
        <source>Illegal modification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="204"/>
        <source>Accident history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="205"/>
        <location filename="../inspection_sheet.cc" line="452"/>
        <source>Flood damage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="206"/>
        <source>Self-diagnosis: engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="207"/>
        <source>Self-diagnosis: transmission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="208"/>
        <source>Emissions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="209"/>
        <source>Usage history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="218"/>
        <source>Major components</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="221"/>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="221"/>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="221"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="234"/>
        <source>Body panels (back page)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="241"/>
        <source>Remarks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="246"/>
        <source>Inspection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="249"/>
        <source>Inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="250"/>
        <source>Agency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="337"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="351"/>
        <source>%1 km</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="361"/>
        <source>present</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="362"/>
        <source>yes</source>
        <comment>accident declared</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="363"/>
        <source>yes</source>
        <comment>flood damage</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="375"/>
        <source>CO %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="378"/>
        <source>HC %1 ppm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="381"/>
        <source>smoke %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="407"/>
        <source>Agency key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="438"/>
        <source>%1: %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="443"/>
        <source>No accident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="445"/>
        <source>Accident (by frame rule)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="446"/>
        <source>Frame parts were replaced or welded:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="449"/>
        <source>Accident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="454"/>
        <source>Odometer rollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="455"/>
        <source>The reading is lower than an earlier reading of this car.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="458"/>
        <source>Odometer unverified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="459"/>
        <source>The odometer gauge is faulty or its state is unknown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="462"/>
        <source>The VIN or plate did not check out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="464"/>
        <source>The model year differs from the registered year.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="466"/>
        <source>Identity issue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::LoginDialog</name>
    <message>
        <location filename="../login_dialog.cc" line="21"/>
        <source>Sign in to CarLedger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="24"/>
        <location filename="../login_dialog.cc" line="67"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="25"/>
        <source>Create an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="40"/>
        <source>This account&apos;s wallet key (%1…) is not on this computer: import your key backup from the Account menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="63"/>
        <source>unlocks your signing key on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="64"/>
        <location filename="../login_dialog.cc" line="92"/>
        <source>Login ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="65"/>
        <location filename="../login_dialog.cc" line="93"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="66"/>
        <location filename="../login_dialog.cc" line="97"/>
        <source>Wallet passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="92"/>
        <source>4–32 of a–z, 0–9, . _ -</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="93"/>
        <source>at least 10 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="94"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="95"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="96"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="96"/>
        <source>e.g. 01012345678</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="97"/>
        <source>protects your signing key; 8+ characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="108"/>
        <source>I have read and agree to the terms of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="116"/>
        <source>Create account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="121"/>
        <source>Terms of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="143"/>
        <location filename="../login_dialog.cc" line="146"/>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="158"/>
        <source>you must agree to the terms to create an account</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::OdometerChart</name>
    <message>
        <location filename="../odometer_chart.cc" line="24"/>
        <source>registration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="25"/>
        <source>inspection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="47"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="49"/>
        <source>Odometer (km)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="70"/>
        <source>Reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="73"/>
        <source>Rollback (lower than an earlier reading)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="106"/>
        <source>No odometer readings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="141"/>
        <source>%1: %2 km (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="146"/>
        <source>Lower than the earlier reading of %1 km</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::PanelDiagram</name>
    <message>
        <location filename="../panel_diagram.cc" line="201"/>
        <source>replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="202"/>
        <source>sheet metal / welded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="203"/>
        <source>corrosion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="204"/>
        <source>scratch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="205"/>
        <source>dent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="206"/>
        <source>damage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="207"/>
        <source>unknown mark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="279"/>
        <source>Front</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="283"/>
        <source>L</source>
        <comment>left side of the car</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="285"/>
        <source>R</source>
        <comment>right side of the car</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="373"/>
        <source>Outer panel (bolt-on)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="382"/>
        <source>Frame part (welded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="445"/>
        <source>%1: %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="454"/>
        <source>Other panels:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::Session</name>
    <message>
        <location filename="../session.cc" line="45"/>
        <source>at least 8 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../session.cc" line="195"/>
        <source>the wallet key is not unlocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../session.cc" line="198"/>
        <source>the wallet key is still being registered with the network; try again in a moment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::VerificationBadge</name>
    <message>
        <location filename="../status_widgets.cc" line="19"/>
        <source>Verifying the history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../status_widgets.cc" line="26"/>
        <source>✔ Verified by %1 of %2 validators · %n event(s) checked</source>
        <translation>
            <numerusform>✔ Verified by %1 of %2 validators · %n event checked</numerusform>
            <numerusform>✔ Verified by %1 of %2 validators · %n events checked</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="31"/>
        <source>Every event is in a block certified by the validators, and the events form one unbroken chain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="38"/>
        <source>⚠ This history could not be verified: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="39"/>
        <source>Do not rely on what this node shows. Try another node or report it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

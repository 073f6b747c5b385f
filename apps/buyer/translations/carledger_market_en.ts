<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>QObject</name>
    <message>
        <location filename="../main.cc" line="41"/>
        <source>CarLedger Market</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main.cc" line="42"/>
        <source>Cannot read the network profile: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::CarPage</name>
    <message>
        <location filename="../car_page.cc" line="47"/>
        <source>Buy with escrow…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="49"/>
        <source>Chat with the seller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="50"/>
        <source>Report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="69"/>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="88"/>
        <source>Inspection record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="91"/>
        <source>Odometer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="92"/>
        <location filename="../car_page.cc" line="94"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="92"/>
        <source>Asking price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="93"/>
        <source>Price history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="94"/>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="94"/>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="94"/>
        <source>Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="99"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="111"/>
        <source>Seller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="129"/>
        <source>The history shown is %1&apos;s: it has events %2 did not serve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="168"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="200"/>
        <source>the node did not return the history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="226"/>
        <source>Not cross-checked: %1 did not answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="234"/>
        <source>Cross-checked with %1: no event left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="241"/>
        <source>%1 served %2 of the %3 events %4 knows; loading %4&apos;s history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="310"/>
        <source>VIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="310"/>
        <source>Year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="311"/>
        <source>Mileage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="311"/>
        <source>Fuel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="312"/>
        <source>Transmission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="312"/>
        <source>Colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="314"/>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="335"/>
        <source>History report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="335"/>
        <source>Owners</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../car_page.cc" line="336"/>
        <source>%n accident(s) on record</source>
        <translation>
            <numerusform>%n accident on record</numerusform>
            <numerusform>%n accidents on record</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="337"/>
        <source>No accident on record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="338"/>
        <source>Flood damage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="338"/>
        <source>No flood damage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="339"/>
        <source>Odometer rollback detected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="340"/>
        <source>No odometer rollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="341"/>
        <source>Flagged for fraud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="341"/>
        <source>No fraud flag</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../car_page.cc" line="342"/>
        <source>%n inspection(s)</source>
        <translation>
            <numerusform>%n inspection</numerusform>
            <numerusform>%n inspections</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="275"/>
        <source>The owner has no account on this node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../car_page.cc" line="280"/>
        <source>rating %1 of 5 (%n review(s))</source>
        <translation>
            <numerusform>rating %1 of 5 (%n review)</numerusform>
            <numerusform>rating %1 of 5 (%n reviews)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="282"/>
        <source>no reviews yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="346"/>
        <source>registration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="346"/>
        <source>inspection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="371"/>
        <source>%1 by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="388"/>
        <source>No reviews yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="411"/>
        <source>This is your car.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="411"/>
        <source>Not for sale now.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::ChatWindow</name>
    <message>
        <location filename="../chat_window.cc" line="21"/>
        <source>Write a message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../chat_window.cc" line="22"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../chat_window.cc" line="88"/>
        <source>Hello, about your car %1: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../chat_window.cc" line="100"/>
        <source>me</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::EscrowWizard</name>
    <message>
        <location filename="../escrow_wizard.cc" line="15"/>
        <source>Buy with escrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="21"/>
        <source>The car and its price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="23"/>
        <source>&lt;b&gt;%1 %2 (%3)&lt;/b&gt;&lt;br&gt;VIN %4&lt;br&gt;&lt;br&gt;Price: &lt;b&gt;%5&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="32"/>
        <source>Your wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="34"/>
        <source>Reading your balance…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="41"/>
        <source>Confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="44"/>
        <source>%1 will be locked in escrow. The seller is paid only when you confirm that you received the car as described. If something is wrong, dispute it before the deadline and an administrator decides. If you do neither, the purchase is confirmed automatically at the deadline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="50"/>
        <source>I understand, lock %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="67"/>
        <source>Cannot read your balance: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="72"/>
        <source>Balance: &lt;b&gt;%1&lt;/b&gt; (besides %2 locked in other trades)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="76"/>
        <source>%1 short: request a charge in the Wallet tab, and buy once an administrator approved it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="89"/>
        <source>Tick the box to confirm you understand how escrow works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="106"/>
        <source>Locking the funds…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::InspectionRequestDialog</name>
    <message>
        <location filename="../inspection_request_dialog.cc" line="15"/>
        <source>Request an inspection of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="27"/>
        <source>Agency (login ID)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="27"/>
        <source>any agency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="28"/>
        <source>Where the car is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="29"/>
        <source>Preferred date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="32"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="45"/>
        <source>say where the agency can see the car</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::MainWindow</name>
    <message>
        <location filename="../main_window.cc" line="29"/>
        <source>CarLedger Market</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="39"/>
        <source>Market</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="40"/>
        <source>Car</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="41"/>
        <source>Sell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="42"/>
        <source>My trades</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="43"/>
        <source>Wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="44"/>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="49"/>
        <location filename="../main_window.cc" line="131"/>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="83"/>
        <source>The step was not taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="86"/>
        <source>Not done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="90"/>
        <source>Your session ended (%1). Please sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="98"/>
        <source>&amp;Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="99"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="100"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="102"/>
        <source>Export key backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="105"/>
        <location filename="../main_window.cc" line="114"/>
        <location filename="../main_window.cc" line="117"/>
        <source>Key backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="109"/>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="111"/>
        <source>Import key backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="117"/>
        <source>Passphrase of the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="122"/>
        <source>Import failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="124"/>
        <source>Key imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="124"/>
        <source>Sign in again to use it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="127"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="130"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="168"/>
        <source>Signed in as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="169"/>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="189"/>
        <source>Trade %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="193"/>
        <source>Inspection of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="197"/>
        <source>Wallet charge %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="200"/>
        <source>New message from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="202"/>
        <source>Report %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::ReportDialog</name>
    <message>
        <location filename="../community_dialogs.cc" line="61"/>
        <location filename="../community_dialogs.cc" line="72"/>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="67"/>
        <source>This listing (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="68"/>
        <source>The seller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="71"/>
        <source>What is wrong? An administrator reviews every report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="73"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="86"/>
        <source>say what is wrong</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::ReviewDialog</name>
    <message>
        <location filename="../community_dialogs.cc" line="13"/>
        <source>Review this trade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="21"/>
        <source> of 5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="24"/>
        <source>Rating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="25"/>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="39"/>
        <source>at most 2000 bytes (about 660 Korean characters)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::SearchModel</name>
    <message>
        <location filename="../search_model.cc" line="51"/>
        <source>Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="53"/>
        <source>Car</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="55"/>
        <source>Year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="57"/>
        <source>Mileage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="59"/>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="61"/>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="63"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="126"/>
        <source>fraud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="127"/>
        <source>odometer rollback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="128"/>
        <source>flood</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../search_model.cc" line="129"/>
        <source>%n accident(s)</source>
        <translation>
            <numerusform>%n accident</numerusform>
            <numerusform>%n accidents</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="131"/>
        <source>inspected, no accident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="131"/>
        <source>not inspected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::SearchPage</name>
    <message>
        <location filename="../search_page.cc" line="31"/>
        <source>Make</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="31"/>
        <source>e.g. Hyundai</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="32"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="32"/>
        <source>e.g. Avante</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="33"/>
        <source>Year from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="33"/>
        <source>e.g. 2018</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="34"/>
        <source>Year to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="35"/>
        <source>Price from (won)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="36"/>
        <source>Price to (won)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="36"/>
        <source>e.g. 20,000,000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="37"/>
        <source>Mileage up to (km)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="38"/>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="38"/>
        <source>e.g. 서울</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="41"/>
        <location filename="../search_page.cc" line="46"/>
        <source>any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="43"/>
        <source>Fuel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="48"/>
        <source>Transmission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="51"/>
        <source>Newest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="52"/>
        <source>Price: low to high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="53"/>
        <source>Price: high to low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="54"/>
        <source>Year: newest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="55"/>
        <source>Year: oldest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="56"/>
        <source>Mileage: lowest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="57"/>
        <source>Sort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="60"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="66"/>
        <source>Saved searches…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="71"/>
        <location filename="../search_page.cc" line="75"/>
        <source>Save search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="75"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="102"/>
        <source>‹ Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="103"/>
        <source>Next ›</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="111"/>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="145"/>
        <source>a whole number from %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="158"/>
        <source>must not be before the &apos;from&apos; year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="162"/>
        <source>must not be below the &apos;from&apos; price</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../search_page.cc" line="192"/>
        <source>Page %1 · %n car(s) found</source>
        <translation>
            <numerusform>Page %1 · %n car found</numerusform>
            <numerusform>Page %1 · %n cars found</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>carledger::app::SellPage</name>
    <message>
        <location filename="../sell_page.cc" line="68"/>
        <location filename="../sell_page.cc" line="123"/>
        <location filename="../sell_page.cc" line="160"/>
        <source>VIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="68"/>
        <source>17 characters, e.g. KMHD341CBNU123456</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="69"/>
        <source>Make</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="69"/>
        <source>e.g. Hyundai</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="70"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="70"/>
        <source>e.g. Avante (CN7) 1.6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="71"/>
        <source>Model year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="71"/>
        <source>e.g. 2021</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="72"/>
        <source>Fuel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="73"/>
        <source>Transmission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="74"/>
        <source>Colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="74"/>
        <source>e.g. 흰색</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="75"/>
        <source>Mileage (km)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="75"/>
        <source>e.g. 42,180</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="76"/>
        <source>Plate (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="76"/>
        <source>e.g. 12가 3456</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="77"/>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="77"/>
        <source>e.g. 서울</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="78"/>
        <location filename="../sell_page.cc" line="328"/>
        <source>Asking price (won)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="78"/>
        <source>e.g. 18,500,000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="82"/>
        <source>Add photos…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="85"/>
        <source>Photos of the car</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="85"/>
        <source>Images (*.jpg *.jpeg *.png *.webp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="99"/>
        <source>Photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="102"/>
        <source>Register and list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="108"/>
        <source>List a car</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="123"/>
        <source>Car</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="123"/>
        <location filename="../sell_page.cc" line="160"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="123"/>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="130"/>
        <source>List for sale…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="131"/>
        <source>Reprice…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="132"/>
        <source>Delist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="133"/>
        <source>Request inspection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="137"/>
        <source>List for sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="143"/>
        <source>Reprice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="333"/>
        <source>price: &apos;%1&apos; is not an amount in won (for example 15,000,000)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="160"/>
        <source>Agency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="160"/>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="165"/>
        <source>My cars</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="168"/>
        <source>Inspection requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="220"/>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="224"/>
        <source>a whole amount of won, e.g. 18,500,000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="229"/>
        <source>a whole number of kilometres</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="234"/>
        <source>a year, e.g. 2021</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="238"/>
        <source>must be 17 characters (it has %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="245"/>
        <source>Uploading photos…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="255"/>
        <source>cannot read %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="294"/>
        <source>Registering the car on the ledger…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="302"/>
        <source>Listing it…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="308"/>
        <source>Registered, but not listed: fix the price and list it from My cars.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="312"/>
        <source>Listed %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::TradesPage</name>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Car</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Confirm by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="36"/>
        <source>I handed the car over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="38"/>
        <source>Confirm the purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="40"/>
        <source>Dispute…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="42"/>
        <source>Dispute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="43"/>
        <source>What is wrong with the car?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="46"/>
        <source>Cancel the trade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="48"/>
        <source>Write a review…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="51"/>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="59"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="107"/>
        <source>buying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="107"/>
        <source>selling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="126"/>
        <source>Select a trade to see its steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="138"/>
        <source>Funded: %1 locked in escrow on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="140"/>
        <source>Handed over to the buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="143"/>
        <source>The buyer confirms or disputes by %1; after that it is confirmed automatically.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="147"/>
        <source>Disputed: an administrator will resolve it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="148"/>
        <source>Completed: the money went to the seller and the car to the buyer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>carledger::app::WalletPage</name>
    <message>
        <location filename="../wallet_page.cc" line="24"/>
        <source>e.g. 20,000,000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="25"/>
        <source>Charge amount (won)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="26"/>
        <source>Request a charge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="31"/>
        <source>Requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="31"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="31"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="41"/>
        <source>Charge requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="47"/>
        <source>Wallet address: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="55"/>
        <source>Balance %1 · locked in trades %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="81"/>
        <source>a whole amount of won, e.g. 20,000,000</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

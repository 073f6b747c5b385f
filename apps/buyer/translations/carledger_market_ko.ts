<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>QObject</name>
    <message>
        <location filename="../main.cc" line="41"/>
        <source>CarLedger Market</source>
        <translation>CarLedger 마켓</translation>
    </message>
    <message>
        <location filename="../main.cc" line="42"/>
        <source>Cannot read the network profile: %1</source>
        <translation>네트워크 프로필을 읽을 수 없습니다: %1</translation>
    </message>
</context>
<context>
    <name>carledger::app::CarPage</name>
    <message>
        <location filename="../car_page.cc" line="47"/>
        <source>Buy with escrow…</source>
        <translation>에스크로로 구매하기…</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="49"/>
        <source>Chat with the seller</source>
        <translation>판매자와 채팅</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="50"/>
        <source>Report…</source>
        <translation>신고하기…</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="69"/>
        <source>Overview</source>
        <translation>기본 정보</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="88"/>
        <source>Inspection record</source>
        <translation>성능·상태점검기록부</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="91"/>
        <source>Odometer</source>
        <translation>주행거리</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="92"/>
        <location filename="../car_page.cc" line="94"/>
        <source>Date</source>
        <translation>일자</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="92"/>
        <source>Asking price</source>
        <translation>판매가</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="93"/>
        <source>Price history</source>
        <translation>가격 변동</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="94"/>
        <source>#</source>
        <translation>번호</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="94"/>
        <source>Event</source>
        <translation>내역</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="94"/>
        <source>Block</source>
        <translation>블록</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="99"/>
        <source>History</source>
        <translation>이력</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="111"/>
        <source>Seller</source>
        <translation>판매자</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="129"/>
        <source>The history shown is %1&apos;s: it has events %2 did not serve.</source>
        <translation>표시된 이력은 %1의 것입니다: %2가 보내지 않은 이벤트가 들어 있습니다.</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="168"/>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="200"/>
        <source>the node did not return the history: %1</source>
        <translation>노드에서 이력을 받지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="226"/>
        <source>Not cross-checked: %1 did not answer.</source>
        <translation>교차 확인 못 함: %1이(가) 응답하지 않았습니다.</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="234"/>
        <source>Cross-checked with %1: no event left out.</source>
        <translation>%1과(와) 교차 확인: 빠진 이벤트가 없습니다.</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="241"/>
        <source>%1 served %2 of the %3 events %4 knows; loading %4&apos;s history…</source>
        <translation>%1은(는) %4가 아는 이벤트 %3개 중 %2개만 보냈습니다. %4의 이력을 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="310"/>
        <source>VIN</source>
        <translation>차대번호</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="310"/>
        <source>Year</source>
        <translation>연식</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="311"/>
        <source>Mileage</source>
        <translation>주행거리</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="311"/>
        <source>Fuel</source>
        <translation>연료</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="312"/>
        <source>Transmission</source>
        <translation>변속기</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="312"/>
        <source>Colour</source>
        <translation>색상</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="314"/>
        <source>Region</source>
        <translation>지역</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="335"/>
        <source>History report</source>
        <translation>차량 이력 요약</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="335"/>
        <source>Owners</source>
        <translation>소유자 수</translation>
    </message>
    <message numerus="yes">
        <location filename="../car_page.cc" line="336"/>
        <source>%n accident(s) on record</source>
        <translation>
            <numerusform>사고 이력 %n건</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="337"/>
        <source>No accident on record</source>
        <translation>사고 이력 없음</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="338"/>
        <source>Flood damage</source>
        <translation>침수 이력 있음</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="338"/>
        <source>No flood damage</source>
        <translation>침수 이력 없음</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="339"/>
        <source>Odometer rollback detected</source>
        <translation>주행거리 조작 감지됨</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="340"/>
        <source>No odometer rollback</source>
        <translation>주행거리 조작 없음</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="341"/>
        <source>Flagged for fraud</source>
        <translation>사기 의심 차량으로 지정됨</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="341"/>
        <source>No fraud flag</source>
        <translation>사기 의심 지정 없음</translation>
    </message>
    <message numerus="yes">
        <location filename="../car_page.cc" line="342"/>
        <source>%n inspection(s)</source>
        <translation>
            <numerusform>성능점검 %n회</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="275"/>
        <source>The owner has no account on this node.</source>
        <translation>소유자의 계정이 이 노드에 없습니다.</translation>
    </message>
    <message numerus="yes">
        <location filename="../car_page.cc" line="280"/>
        <source>rating %1 of 5 (%n review(s))</source>
        <translation>
            <numerusform>평점 %1/5 (후기 %n건)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="282"/>
        <source>no reviews yet</source>
        <translation>아직 후기가 없습니다</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="346"/>
        <source>registration</source>
        <translation>등록</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="346"/>
        <source>inspection</source>
        <translation>성능점검</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="371"/>
        <source>%1 by %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="388"/>
        <source>No reviews yet.</source>
        <translation>아직 후기가 없습니다.</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="411"/>
        <source>This is your car.</source>
        <translation>내 차량입니다.</translation>
    </message>
    <message>
        <location filename="../car_page.cc" line="411"/>
        <source>Not for sale now.</source>
        <translation>현재 판매 중인 차량이 아닙니다.</translation>
    </message>
</context>
<context>
    <name>carledger::app::ChatWindow</name>
    <message>
        <location filename="../chat_window.cc" line="21"/>
        <source>Write a message…</source>
        <translation>메시지를 입력하세요…</translation>
    </message>
    <message>
        <location filename="../chat_window.cc" line="22"/>
        <source>Send</source>
        <translation>전송</translation>
    </message>
    <message>
        <location filename="../chat_window.cc" line="88"/>
        <source>Hello, about your car %1: </source>
        <translation>안녕하세요, %1 차량 관련 문의드립니다: </translation>
    </message>
    <message>
        <location filename="../chat_window.cc" line="100"/>
        <source>me</source>
        <translation>나</translation>
    </message>
</context>
<context>
    <name>carledger::app::EscrowWizard</name>
    <message>
        <location filename="../escrow_wizard.cc" line="15"/>
        <source>Buy with escrow</source>
        <translation>에스크로 구매</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="21"/>
        <source>The car and its price</source>
        <translation>차량 및 가격</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="23"/>
        <source>&lt;b&gt;%1 %2 (%3)&lt;/b&gt;&lt;br&gt;VIN %4&lt;br&gt;&lt;br&gt;Price: &lt;b&gt;%5&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 %2 (%3년식)&lt;/b&gt;&lt;br&gt;차대번호 %4&lt;br&gt;&lt;br&gt;가격: &lt;b&gt;%5&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="32"/>
        <source>Your wallet</source>
        <translation>내 지갑</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="34"/>
        <source>Reading your balance…</source>
        <translation>잔액을 확인하는 중…</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="41"/>
        <source>Confirm</source>
        <translation>최종 확인</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="44"/>
        <source>%1 will be locked in escrow. The seller is paid only when you confirm that you received the car as described. If something is wrong, dispute it before the deadline and an administrator decides. If you do neither, the purchase is confirmed automatically at the deadline.</source>
        <translation>구매 대금 %1 전액이 에스크로에 예치됩니다. 설명과 같은 차량을 인수했다고 확인하셔야 판매자에게 대금이 지급됩니다. 문제가 있으면 기한 전에 분쟁을 신청하세요. 관리자가 검토하여 결정합니다. 기한까지 구매 확정이나 분쟁 신청을 하지 않으면 기한이 지나는 시점에 구매가 자동으로 확정됩니다.</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="50"/>
        <source>I understand, lock %1</source>
        <translation>위 내용을 이해했으며, %1 예치에 동의합니다</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="67"/>
        <source>Cannot read your balance: %1</source>
        <translation>잔액을 확인할 수 없습니다: %1</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="72"/>
        <source>Balance: &lt;b&gt;%1&lt;/b&gt; (besides %2 locked in other trades)</source>
        <translation>잔액: &lt;b&gt;%1&lt;/b&gt; (다른 거래에 예치된 %2 별도)</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="76"/>
        <source>%1 short: request a charge in the Wallet tab, and buy once an administrator approved it.</source>
        <translation>잔액이 %1 부족합니다. 지갑 탭에서 충전을 요청하고, 관리자가 승인한 후 구매하세요.</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="89"/>
        <source>Tick the box to confirm you understand how escrow works.</source>
        <translation>에스크로 거래 방식을 이해했다면 확인란을 선택하세요.</translation>
    </message>
    <message>
        <location filename="../escrow_wizard.cc" line="106"/>
        <source>Locking the funds…</source>
        <translation>대금을 예치하는 중…</translation>
    </message>
</context>
<context>
    <name>carledger::app::InspectionRequestDialog</name>
    <message>
        <location filename="../inspection_request_dialog.cc" line="15"/>
        <source>Request an inspection of %1</source>
        <translation>%1 성능점검 신청</translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="27"/>
        <source>Agency (login ID)</source>
        <translation>점검기관(로그인 ID)</translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="27"/>
        <source>any agency</source>
        <translation>미지정 시 모든 점검기관</translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="28"/>
        <source>Where the car is</source>
        <translation>차량 위치</translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="29"/>
        <source>Preferred date</source>
        <translation>희망 일자</translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="32"/>
        <source>Note</source>
        <translation>요청사항</translation>
    </message>
    <message>
        <location filename="../inspection_request_dialog.cc" line="45"/>
        <source>say where the agency can see the car</source>
        <translation>점검기관이 차를 볼 수 있는 곳을 적어 주세요</translation>
    </message>
</context>
<context>
    <name>carledger::app::MainWindow</name>
    <message>
        <location filename="../main_window.cc" line="29"/>
        <source>CarLedger Market</source>
        <translation>CarLedger 마켓</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="39"/>
        <source>Market</source>
        <translation>내차사기</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="40"/>
        <source>Car</source>
        <translation>차량 정보</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="41"/>
        <source>Sell</source>
        <translation>내차팔기</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="42"/>
        <source>My trades</source>
        <translation>내 거래</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="43"/>
        <source>Wallet</source>
        <translation>지갑</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="44"/>
        <source>Chat</source>
        <translation>채팅</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="49"/>
        <location filename="../main_window.cc" line="131"/>
        <source>Notifications</source>
        <translation>알림</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="83"/>
        <source>The step was not taken</source>
        <translation>요청을 처리하지 못했습니다</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="86"/>
        <source>Not done</source>
        <translation>완료되지 않았습니다</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="90"/>
        <source>Your session ended (%1). Please sign in again.</source>
        <translation>세션이 끝났습니다 (%1). 다시 로그인하세요.</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="98"/>
        <source>&amp;Account</source>
        <translation>계정(&amp;A)</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="99"/>
        <source>Sign in…</source>
        <translation>로그인…</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="100"/>
        <source>Sign out</source>
        <translation>로그아웃</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="102"/>
        <source>Export key backup…</source>
        <translation>키 백업 내보내기…</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="105"/>
        <location filename="../main_window.cc" line="114"/>
        <location filename="../main_window.cc" line="117"/>
        <source>Key backup</source>
        <translation>키 백업</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="109"/>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="111"/>
        <source>Import key backup…</source>
        <translation>키 백업 가져오기…</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="117"/>
        <source>Passphrase of the backup</source>
        <translation>백업 파일 암호</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="122"/>
        <source>Import failed</source>
        <translation>가져오기 실패</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="124"/>
        <source>Key imported</source>
        <translation>키를 가져왔습니다</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="124"/>
        <source>Sign in again to use it.</source>
        <translation>가져온 키를 사용하려면 다시 로그인하세요.</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="127"/>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="130"/>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="168"/>
        <source>Signed in as %1</source>
        <translation>%1 님으로 로그인됨</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="169"/>
        <source>Not signed in</source>
        <translation>로그인하지 않음</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="189"/>
        <source>Trade %1: %2</source>
        <translation>거래 %1: %2</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="193"/>
        <source>Inspection of %1: %2</source>
        <translation>%1 성능점검: %2</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="197"/>
        <source>Wallet charge %1</source>
        <translation>지갑 충전 %1</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="200"/>
        <source>New message from %1</source>
        <translation>%1 님의 새 메시지</translation>
    </message>
    <message>
        <location filename="../main_window.cc" line="202"/>
        <source>Report %1</source>
        <translation>신고 %1</translation>
    </message>
</context>
<context>
    <name>carledger::app::ReportDialog</name>
    <message>
        <location filename="../community_dialogs.cc" line="61"/>
        <location filename="../community_dialogs.cc" line="72"/>
        <source>Report</source>
        <translation>신고하기</translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="67"/>
        <source>This listing (%1)</source>
        <translation>이 매물 (%1)</translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="68"/>
        <source>The seller</source>
        <translation>판매자</translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="71"/>
        <source>What is wrong? An administrator reviews every report.</source>
        <translation>어떤 문제가 있나요? 모든 신고는 관리자가 검토합니다.</translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="73"/>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="86"/>
        <source>say what is wrong</source>
        <translation>신고 사유를 입력하세요</translation>
    </message>
</context>
<context>
    <name>carledger::app::ReviewDialog</name>
    <message>
        <location filename="../community_dialogs.cc" line="13"/>
        <source>Review this trade</source>
        <translation>거래 후기 작성</translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="21"/>
        <source> of 5</source>
        <translation> / 5</translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="24"/>
        <source>Rating</source>
        <translation>평점</translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="25"/>
        <source>Review</source>
        <translation>후기</translation>
    </message>
    <message>
        <location filename="../community_dialogs.cc" line="39"/>
        <source>at most 2000 bytes (about 660 Korean characters)</source>
        <translation>최대 2,000바이트(한글 약 660자)까지 입력할 수 있습니다</translation>
    </message>
</context>
<context>
    <name>carledger::app::SearchModel</name>
    <message>
        <location filename="../search_model.cc" line="51"/>
        <source>Photo</source>
        <translation>사진</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="53"/>
        <source>Car</source>
        <translation>차량</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="55"/>
        <source>Year</source>
        <translation>연식</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="57"/>
        <source>Mileage</source>
        <translation>주행거리</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="59"/>
        <source>Price</source>
        <translation>가격</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="61"/>
        <source>Region</source>
        <translation>지역</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="63"/>
        <source>History</source>
        <translation>이력</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="126"/>
        <source>fraud</source>
        <translation>사기 의심</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="127"/>
        <source>odometer rollback</source>
        <translation>주행거리 조작</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="128"/>
        <source>flood</source>
        <translation>침수</translation>
    </message>
    <message numerus="yes">
        <location filename="../search_model.cc" line="129"/>
        <source>%n accident(s)</source>
        <translation>
            <numerusform>사고 %n건</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="131"/>
        <source>inspected, no accident</source>
        <translation>점검 완료, 무사고</translation>
    </message>
    <message>
        <location filename="../search_model.cc" line="131"/>
        <source>not inspected</source>
        <translation>점검 이력 없음</translation>
    </message>
</context>
<context>
    <name>carledger::app::SearchPage</name>
    <message>
        <location filename="../search_page.cc" line="31"/>
        <source>Make</source>
        <translation>제조사</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="31"/>
        <source>e.g. Hyundai</source>
        <translation>예: Hyundai</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="32"/>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="32"/>
        <source>e.g. Avante</source>
        <translation>예: Avante</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="33"/>
        <source>Year from</source>
        <translation>최소 연식</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="33"/>
        <source>e.g. 2018</source>
        <translation>예: 2018</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="34"/>
        <source>Year to</source>
        <translation>최대 연식</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="35"/>
        <source>Price from (won)</source>
        <translation>최저 가격(원)</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="36"/>
        <source>Price to (won)</source>
        <translation>최고 가격(원)</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="36"/>
        <source>e.g. 20,000,000</source>
        <translation>예: 20,000,000</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="37"/>
        <source>Mileage up to (km)</source>
        <translation>최대 주행거리(km)</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="38"/>
        <source>Region</source>
        <translation>지역</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="38"/>
        <source>e.g. 서울</source>
        <translation>예: 서울</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="41"/>
        <location filename="../search_page.cc" line="46"/>
        <source>any</source>
        <translation>전체</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="43"/>
        <source>Fuel</source>
        <translation>연료</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="48"/>
        <source>Transmission</source>
        <translation>변속기</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="51"/>
        <source>Newest</source>
        <translation>최신 등록순</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="52"/>
        <source>Price: low to high</source>
        <translation>낮은 가격순</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="53"/>
        <source>Price: high to low</source>
        <translation>높은 가격순</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="54"/>
        <source>Year: newest</source>
        <translation>최근 연식순</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="55"/>
        <source>Year: oldest</source>
        <translation>오래된 연식순</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="56"/>
        <source>Mileage: lowest</source>
        <translation>짧은 주행거리순</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="57"/>
        <source>Sort</source>
        <translation>정렬</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="60"/>
        <source>Search</source>
        <translation>검색</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="66"/>
        <source>Saved searches…</source>
        <translation>저장된 검색 조건…</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="71"/>
        <location filename="../search_page.cc" line="75"/>
        <source>Save search</source>
        <translation>검색 조건 저장</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="75"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="102"/>
        <source>‹ Previous</source>
        <translation>‹ 이전</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="103"/>
        <source>Next ›</source>
        <translation>다음 ›</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="111"/>
        <source>Searching…</source>
        <translation>검색 중…</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="145"/>
        <source>a whole number from %1 to %2</source>
        <translation>%1~%2 사이의 정수를 입력하세요</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="158"/>
        <source>must not be before the &apos;from&apos; year</source>
        <translation>최소 연식보다 이전일 수 없습니다</translation>
    </message>
    <message>
        <location filename="../search_page.cc" line="162"/>
        <source>must not be below the &apos;from&apos; price</source>
        <translation>최저 가격보다 낮을 수 없습니다</translation>
    </message>
    <message numerus="yes">
        <location filename="../search_page.cc" line="192"/>
        <source>Page %1 · %n car(s) found</source>
        <translation>
            <numerusform>%1페이지 · 검색 결과 %n대</numerusform>
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
        <translation>차대번호</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="68"/>
        <source>17 characters, e.g. KMHD341CBNU123456</source>
        <translation>17자리, 예: KMHD341CBNU123456</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="69"/>
        <source>Make</source>
        <translation>제조사</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="69"/>
        <source>e.g. Hyundai</source>
        <translation>예: Hyundai</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="70"/>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="70"/>
        <source>e.g. Avante (CN7) 1.6</source>
        <translation>예: Avante (CN7) 1.6</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="71"/>
        <source>Model year</source>
        <translation>연식</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="71"/>
        <source>e.g. 2021</source>
        <translation>예: 2021</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="72"/>
        <source>Fuel</source>
        <translation>연료</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="73"/>
        <source>Transmission</source>
        <translation>변속기</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="74"/>
        <source>Colour</source>
        <translation>색상</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="74"/>
        <source>e.g. 흰색</source>
        <translation>예: 흰색</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="75"/>
        <source>Mileage (km)</source>
        <translation>주행거리(km)</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="75"/>
        <source>e.g. 42,180</source>
        <translation>예: 42,180</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="76"/>
        <source>Plate (optional)</source>
        <translation>차량번호(선택)</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="76"/>
        <source>e.g. 12가 3456</source>
        <translation>예: 12가 3456</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="77"/>
        <source>Region</source>
        <translation>지역</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="77"/>
        <source>e.g. 서울</source>
        <translation>예: 서울</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="78"/>
        <location filename="../sell_page.cc" line="328"/>
        <source>Asking price (won)</source>
        <translation>판매가(원)</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="78"/>
        <source>e.g. 18,500,000</source>
        <translation>예: 18,500,000</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="82"/>
        <source>Add photos…</source>
        <translation>사진 추가…</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="85"/>
        <source>Photos of the car</source>
        <translation>차량 사진 선택</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="85"/>
        <source>Images (*.jpg *.jpeg *.png *.webp)</source>
        <translation>이미지 (*.jpg *.jpeg *.png *.webp)</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="99"/>
        <source>Photos</source>
        <translation>사진</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="102"/>
        <source>Register and list</source>
        <translation>등록하고 판매하기</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="108"/>
        <source>List a car</source>
        <translation>차량 판매 등록</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="123"/>
        <source>Car</source>
        <translation>차량</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="123"/>
        <location filename="../sell_page.cc" line="160"/>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="123"/>
        <source>Price</source>
        <translation>가격</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="130"/>
        <source>List for sale…</source>
        <translation>판매 등록…</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="131"/>
        <source>Reprice…</source>
        <translation>가격 변경…</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="132"/>
        <source>Delist</source>
        <translation>판매 중지</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="133"/>
        <source>Request inspection…</source>
        <translation>성능점검 신청…</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="137"/>
        <source>List for sale</source>
        <translation>판매 등록</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="143"/>
        <source>Reprice</source>
        <translation>가격 변경</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="333"/>
        <source>price: &apos;%1&apos; is not an amount in won (for example 15,000,000)</source>
        <translation>가격: &apos;%1&apos;은(는) 원 단위 금액이 아닙니다 (예: 15,000,000)</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="160"/>
        <source>Agency</source>
        <translation>점검기관</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="160"/>
        <source>Updated</source>
        <translation>변경 일시</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="165"/>
        <source>My cars</source>
        <translation>내 차량</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="168"/>
        <source>Inspection requests</source>
        <translation>성능점검 신청 내역</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="220"/>
        <source>required</source>
        <translation>필수 항목입니다</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="224"/>
        <source>a whole amount of won, e.g. 18,500,000</source>
        <translation>원 단위 금액을 입력하세요. 예: 18,500,000</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="229"/>
        <source>a whole number of kilometres</source>
        <translation>km 단위 정수를 입력하세요</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="234"/>
        <source>a year, e.g. 2021</source>
        <translation>연도를 입력하세요. 예: 2021</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="238"/>
        <source>must be 17 characters (it has %1)</source>
        <translation>17자리여야 합니다(현재 %1자리)</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="245"/>
        <source>Uploading photos…</source>
        <translation>사진을 업로드하는 중…</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="255"/>
        <source>cannot read %1</source>
        <translation>%1 파일을 읽을 수 없습니다</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="294"/>
        <source>Registering the car on the ledger…</source>
        <translation>원장에 차량을 등록하는 중…</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="302"/>
        <source>Listing it…</source>
        <translation>판매 등록하는 중…</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="308"/>
        <source>Registered, but not listed: fix the price and list it from My cars.</source>
        <translation>차량은 등록되었지만 판매 등록은 되지 않았습니다. 가격을 수정한 후 내 차량 목록에서 판매 등록하세요.</translation>
    </message>
    <message>
        <location filename="../sell_page.cc" line="312"/>
        <source>Listed %1.</source>
        <translation>%1 판매 등록을 완료했습니다.</translation>
    </message>
</context>
<context>
    <name>carledger::app::TradesPage</name>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Car</source>
        <translation>차량</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Side</source>
        <translation>구분</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Price</source>
        <translation>가격</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="17"/>
        <source>Confirm by</source>
        <translation>확정 기한</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="36"/>
        <source>I handed the car over</source>
        <translation>차량 인도 완료</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="38"/>
        <source>Confirm the purchase</source>
        <translation>구매 확정</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="40"/>
        <source>Dispute…</source>
        <translation>분쟁 신청…</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="42"/>
        <source>Dispute</source>
        <translation>분쟁 신청</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="43"/>
        <source>What is wrong with the car?</source>
        <translation>차량에 어떤 문제가 있나요?</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="46"/>
        <source>Cancel the trade</source>
        <translation>거래 취소</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="48"/>
        <source>Write a review…</source>
        <translation>후기 작성…</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="51"/>
        <source>Chat</source>
        <translation>채팅</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="59"/>
        <source>Refresh</source>
        <translation>새로고침</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="107"/>
        <source>buying</source>
        <translation>구매</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="107"/>
        <source>selling</source>
        <translation>판매</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="126"/>
        <source>Select a trade to see its steps.</source>
        <translation>거래를 선택하면 진행 단계를 볼 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="138"/>
        <source>Funded: %1 locked in escrow on %2</source>
        <translation>결제 완료: %1 에스크로 예치(%2)</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="140"/>
        <source>Handed over to the buyer</source>
        <translation>구매자에게 차량 인도 완료</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="143"/>
        <source>The buyer confirms or disputes by %1; after that it is confirmed automatically.</source>
        <translation>구매자는 %1까지 구매 확정 또는 분쟁 신청을 할 수 있으며, 기한이 지나면 구매가 자동으로 확정됩니다.</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="147"/>
        <source>Disputed: an administrator will resolve it</source>
        <translation>분쟁 중: 관리자가 처리할 예정입니다</translation>
    </message>
    <message>
        <location filename="../trades_page.cc" line="148"/>
        <source>Completed: the money went to the seller and the car to the buyer</source>
        <translation>거래 완료: 대금은 판매자에게, 차량은 구매자에게 이전되었습니다</translation>
    </message>
</context>
<context>
    <name>carledger::app::WalletPage</name>
    <message>
        <location filename="../wallet_page.cc" line="24"/>
        <source>e.g. 20,000,000</source>
        <translation>예: 20,000,000</translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="25"/>
        <source>Charge amount (won)</source>
        <translation>충전 금액(원)</translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="26"/>
        <source>Request a charge</source>
        <translation>충전 요청</translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="31"/>
        <source>Requested</source>
        <translation>요청 일시</translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="31"/>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="31"/>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="41"/>
        <source>Charge requests</source>
        <translation>충전 요청 내역</translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="47"/>
        <source>Wallet address: %1</source>
        <translation>지갑 주소: %1</translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="55"/>
        <source>Balance %1 · locked in trades %2</source>
        <translation>잔액 %1 · 에스크로 예치 %2</translation>
    </message>
    <message>
        <location filename="../wallet_page.cc" line="81"/>
        <source>a whole amount of won, e.g. 20,000,000</source>
        <translation>원 단위 금액을 입력하세요. 예: 20,000,000</translation>
    </message>
</context>
</TS>

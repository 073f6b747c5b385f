<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>CarEvents</name>
    <message>
        <location filename="../car_events.cc" line="53"/>
        <source>Registered at %1</source>
        <translation>차량 등록 (주행거리 %1)</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="58"/>
        <source>Inspected by %1 at %2</source>
        <translation>%1 성능점검 (주행거리 %2)</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="63"/>
        <source>Odometer rollback: %1 after %2 before</source>
        <translation>주행거리 역행: 이전 %2 → %1</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="68"/>
        <source>Listed at %1</source>
        <translation>판매 등록 (%1)</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="71"/>
        <source>Repriced from %1 to %2</source>
        <translation>가격 변경: %1 → %2</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="74"/>
        <source>Delisted</source>
        <translation>판매 중지</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="76"/>
        <source>Escrow opened at %1</source>
        <translation>에스크로 예치 (%1)</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="80"/>
        <source>Handed over to the buyer</source>
        <translation>구매자에게 차량 인도</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="82"/>
        <source>Disputed: %1</source>
        <translation>분쟁 신청: %1</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="85"/>
        <source>Sold for %1</source>
        <translation>판매 완료 (%1)</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="88"/>
        <source>Escrow cancelled</source>
        <translation>에스크로 취소</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="89"/>
        <source>Buyer refunded</source>
        <translation>구매자 환불</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="91"/>
        <source>Flagged for fraud: %1</source>
        <translation>사기 의심 지정: %1</translation>
    </message>
    <message>
        <location filename="../car_events.cc" line="94"/>
        <source>Listing taken down after reports</source>
        <translation>신고 누적으로 매물 내림</translation>
    </message>
</context>
<context>
    <name>Enum</name>
    <message>
        <location filename="../format.cc" line="52"/>
        <source>gasoline</source>
        <translation>가솔린</translation>
    </message>
    <message>
        <location filename="../format.cc" line="52"/>
        <source>diesel</source>
        <translation>디젤</translation>
    </message>
    <message>
        <location filename="../format.cc" line="53"/>
        <source>lpg</source>
        <translation>LPG</translation>
    </message>
    <message>
        <location filename="../format.cc" line="53"/>
        <source>hybrid</source>
        <translation>하이브리드</translation>
    </message>
    <message>
        <location filename="../format.cc" line="54"/>
        <source>electric</source>
        <translation>전기</translation>
    </message>
    <message>
        <location filename="../format.cc" line="54"/>
        <source>hydrogen</source>
        <translation>수소</translation>
    </message>
    <message>
        <location filename="../format.cc" line="55"/>
        <source>automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <location filename="../format.cc" line="55"/>
        <source>manual</source>
        <translation>수동</translation>
    </message>
    <message>
        <location filename="../format.cc" line="56"/>
        <source>semi-auto</source>
        <translation>세미오토</translation>
    </message>
    <message>
        <location filename="../format.cc" line="56"/>
        <source>cvt</source>
        <translation>CVT</translation>
    </message>
    <message>
        <location filename="../format.cc" line="57"/>
        <source>FUNDED</source>
        <translation>에스크로 입금 완료</translation>
    </message>
    <message>
        <location filename="../format.cc" line="57"/>
        <source>HANDED_OVER</source>
        <translation>인도 완료</translation>
    </message>
    <message>
        <location filename="../format.cc" line="58"/>
        <source>DISPUTED</source>
        <translation>분쟁 중</translation>
    </message>
    <message>
        <location filename="../format.cc" line="58"/>
        <source>COMPLETED</source>
        <translation>거래 완료</translation>
    </message>
    <message>
        <location filename="../format.cc" line="59"/>
        <source>CANCELLED</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <location filename="../format.cc" line="59"/>
        <source>REFUNDED</source>
        <translation>환불됨</translation>
    </message>
    <message>
        <location filename="../format.cc" line="60"/>
        <source>requested</source>
        <translation>요청됨</translation>
    </message>
    <message>
        <location filename="../format.cc" line="60"/>
        <source>accepted</source>
        <translation>접수됨</translation>
    </message>
    <message>
        <location filename="../format.cc" line="61"/>
        <source>inspected</source>
        <translation>점검 완료</translation>
    </message>
    <message>
        <location filename="../format.cc" line="61"/>
        <source>declined</source>
        <translation>거절됨</translation>
    </message>
    <message>
        <location filename="../format.cc" line="62"/>
        <source>pending</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <location filename="../format.cc" line="62"/>
        <source>approved</source>
        <translation>승인됨</translation>
    </message>
    <message>
        <location filename="../format.cc" line="63"/>
        <source>registered</source>
        <translation>등록됨</translation>
    </message>
    <message>
        <location filename="../format.cc" line="63"/>
        <source>listed</source>
        <translation>판매 중</translation>
    </message>
    <message>
        <location filename="../format.cc" line="64"/>
        <source>in_escrow</source>
        <translation>거래 진행 중</translation>
    </message>
</context>
<context>
    <name>KeyStore</name>
    <message>
        <location filename="../key_store.cc" line="16"/>
        <source>no wallet key at %1</source>
        <translation>%1에 지갑 키가 없습니다</translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="18"/>
        <source>cannot read %1: %2</source>
        <translation>%1을(를) 읽을 수 없습니다: %2</translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="28"/>
        <source>the key file is not an encrypted CarLedger wallet key</source>
        <translation>암호화된 CarLedger 지갑 키 파일이 아닙니다</translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="35"/>
        <source>wrong passphrase for the wallet key</source>
        <translation>지갑 키의 암호가 틀렸습니다</translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="44"/>
        <location filename="../key_store.cc" line="51"/>
        <source>cannot write %1: %2</source>
        <translation>%1에 쓸 수 없습니다: %2</translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="77"/>
        <source>passphrase: at least 8 characters</source>
        <translation>암호: 8자 이상이어야 합니다</translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="81"/>
        <source>a wallet key for %1 already exists</source>
        <translation>%1의 지갑 키가 이미 있습니다</translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="87"/>
        <location filename="../key_store.cc" line="118"/>
        <source>cannot create %1</source>
        <translation>%1을(를) 만들 수 없습니다</translation>
    </message>
    <message>
        <location filename="../key_store.cc" line="111"/>
        <source>a wallet key for %1 already exists; replace it explicitly</source>
        <translation>%1의 지갑 키가 이미 있습니다. 바꾸려면 명시적으로 교체하세요</translation>
    </message>
</context>
<context>
    <name>carledger::app::Connection</name>
    <message>
        <location filename="../connection.cc" line="43"/>
        <source>no node to connect to</source>
        <translation>연결할 노드가 없습니다</translation>
    </message>
    <message>
        <location filename="../connection.cc" line="105"/>
        <source>no node of the network answered (last: %1: %2)</source>
        <translation>네트워크의 모든 노드가 응답하지 않습니다 (마지막 시도: %1: %2)</translation>
    </message>
</context>
<context>
    <name>carledger::app::ConnectionIndicator</name>
    <message>
        <location filename="../status_widgets.cc" line="61"/>
        <source>Connecting to %1…</source>
        <translation>%1에 연결하는 중…</translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="65"/>
        <source>● %1 · block %2</source>
        <translation>● %1 · 블록 %2</translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="65"/>
        <source>● %1</source>
        <translation>● %1</translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="69"/>
        <source>Node unavailable, switching to %1…</source>
        <translation>노드가 응답하지 않아 %1에 다시 연결하는 중…</translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="73"/>
        <source>Offline: no node answers</source>
        <translation>오프라인: 응답하는 노드가 없습니다</translation>
    </message>
</context>
<context>
    <name>carledger::app::HistoryVerifier</name>
    <message>
        <location filename="../history_verifier.cc" line="13"/>
        <source>the network&apos;s CA certificate is unreadable: %1</source>
        <translation>네트워크 CA 인증서를 읽을 수 없습니다: %1</translation>
    </message>
</context>
<context>
    <name>carledger::app::InspectionPanels</name>
    <message>
        <location filename="../inspection_panels.cc" line="28"/>
        <source>Radiator support</source>
        <translation>라디에이터 서포트</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="30"/>
        <source>Hood</source>
        <translation>후드</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="32"/>
        <source>Front fender (left)</source>
        <translation>프론트 펜더(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="35"/>
        <source>Front fender (right)</source>
        <translation>프론트 펜더(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="38"/>
        <source>Front door (left)</source>
        <translation>프론트 도어(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="41"/>
        <source>Front door (right)</source>
        <translation>프론트 도어(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="43"/>
        <source>Rear door (left)</source>
        <translation>리어 도어(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="46"/>
        <source>Rear door (right)</source>
        <translation>리어 도어(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="49"/>
        <source>Quarter panel (left)</source>
        <translation>쿼터 패널(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="52"/>
        <source>Quarter panel (right)</source>
        <translation>쿼터 패널(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="54"/>
        <source>Roof panel</source>
        <translation>루프 패널</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="56"/>
        <source>Trunk lid</source>
        <translation>트렁크 리드</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="58"/>
        <source>A pillar (left)</source>
        <translation>A 필러(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="60"/>
        <source>A pillar (right)</source>
        <translation>A 필러(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="62"/>
        <source>B pillar (left)</source>
        <translation>B 필러(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="64"/>
        <source>B pillar (right)</source>
        <translation>B 필러(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="66"/>
        <source>C pillar (left)</source>
        <translation>C 필러(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="68"/>
        <source>C pillar (right)</source>
        <translation>C 필러(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="71"/>
        <source>Front side member (left)</source>
        <translation>프론트 사이드멤버(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="74"/>
        <source>Front side member (right)</source>
        <translation>프론트 사이드멤버(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="77"/>
        <source>Rear side member (left)</source>
        <translation>리어 사이드멤버(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="80"/>
        <source>Rear side member (right)</source>
        <translation>리어 사이드멤버(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="83"/>
        <source>Front wheel house (left)</source>
        <translation>프론트 휠하우스(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="86"/>
        <source>Front wheel house (right)</source>
        <translation>프론트 휠하우스(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="89"/>
        <source>Rear wheel house (left)</source>
        <translation>리어 휠하우스(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="92"/>
        <source>Rear wheel house (right)</source>
        <translation>리어 휠하우스(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="95"/>
        <source>Inside panel (left)</source>
        <translation>인사이드 패널(좌)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="98"/>
        <source>Inside panel (right)</source>
        <translation>인사이드 패널(우)</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="100"/>
        <source>Dash panel</source>
        <translation>대쉬 패널</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="102"/>
        <source>Floor panel</source>
        <translation>플로어 패널</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="104"/>
        <source>Trunk floor</source>
        <translation>트렁크 플로어</translation>
    </message>
    <message>
        <location filename="../inspection_panels.cc" line="106"/>
        <source>Rear panel</source>
        <translation>리어 패널</translation>
    </message>
</context>
<context>
    <name>carledger::app::InspectionSheet</name>
    <message>
        <location filename="../inspection_sheet.cc" line="60"/>
        <source>good</source>
        <comment>state</comment>
        <translation>양호</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="61"/>
        <source>needs repair</source>
        <comment>state</comment>
        <translation>정비요</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="62"/>
        <source>faulty</source>
        <comment>gauge</comment>
        <translation>작동불량</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="64"/>
        <source>unknown</source>
        <comment>gauge</comment>
        <translation>불명</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="65"/>
        <source>leak</source>
        <comment>state</comment>
        <translation>누출</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="67"/>
        <source>automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="68"/>
        <source>manual</source>
        <translation>수동</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="69"/>
        <source>semi-automatic</source>
        <translation>세미오토</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="70"/>
        <source>CVT</source>
        <translation>무단변속(CVT)</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="72"/>
        <source>self-warranty</source>
        <translation>자가보증</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="73"/>
        <source>insurance company</source>
        <translation>보험사보증</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="75"/>
        <source>mismatch</source>
        <comment>identity check</comment>
        <translation>상이</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="76"/>
        <source>corroded</source>
        <comment>identity check</comment>
        <translation>부식</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="77"/>
        <source>damaged</source>
        <comment>identity check</comment>
        <translation>훼손</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="78"/>
        <source>altered (re-stamped)</source>
        <comment>identity check</comment>
        <translation>변조(변타)</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="79"/>
        <source>painted over</source>
        <comment>identity check</comment>
        <translation>도말</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="82"/>
        <source>none</source>
        <comment>usage history</comment>
        <translation>없음</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="83"/>
        <source>rental</source>
        <comment>usage history</comment>
        <translation>렌트</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="84"/>
        <source>commercial</source>
        <comment>usage history</comment>
        <translation>영업용</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="92"/>
        <source>Engine</source>
        <translation>원동기</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="93"/>
        <location filename="../inspection_sheet.cc" line="200"/>
        <source>Transmission</source>
        <translation>변속기</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="94"/>
        <source>Power train</source>
        <translation>동력전달</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="95"/>
        <source>Steering</source>
        <translation>조향</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="96"/>
        <source>Brakes</source>
        <translation>제동</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="97"/>
        <source>Electrical</source>
        <translation>전기</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="98"/>
        <source>Fuel</source>
        <translation>연료</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="99"/>
        <source>Other</source>
        <translation>기타</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="100"/>
        <source>idling</source>
        <translation>공회전</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="101"/>
        <source>oil leak</source>
        <translation>오일누유</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="103"/>
        <source>oil level / contamination</source>
        <translation>오일 유량·오염</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="104"/>
        <source>coolant leak</source>
        <translation>냉각수 누수</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="105"/>
        <source>common rail</source>
        <translation>커먼레일</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="106"/>
        <source>A/T</source>
        <translation>자동변속기(A/T)</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="107"/>
        <source>M/T</source>
        <translation>수동변속기(M/T)</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="108"/>
        <source>clutch</source>
        <translation>클러치</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="109"/>
        <source>CV joint</source>
        <translation>등속조인트</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="110"/>
        <source>propeller shaft</source>
        <translation>추진축</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="111"/>
        <source>gear box</source>
        <translation>기어박스</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="112"/>
        <source>pump</source>
        <translation>펌프</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="113"/>
        <source>tie-rod end</source>
        <translation>타이로드엔드</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="114"/>
        <source>fluid</source>
        <translation>오일</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="115"/>
        <source>booster</source>
        <translation>배력장치</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="116"/>
        <source>alternator</source>
        <translation>발전기</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="117"/>
        <source>starter motor</source>
        <translation>시동모터</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="118"/>
        <source>fuel leak</source>
        <translation>연료누출</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="158"/>
        <source>Used car performance and condition inspection record</source>
        <translation>중고자동차 성능·상태점검기록부</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="189"/>
        <source>Vehicle (front page)</source>
        <translation>차량 정보 (앞면)</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="194"/>
        <source>Registration plate</source>
        <translation>자동차등록번호</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="195"/>
        <source>Model year</source>
        <translation>연식</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="196"/>
        <source>First registration</source>
        <translation>최초등록일</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="197"/>
        <source>Odometer</source>
        <translation>주행거리</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="198"/>
        <source>Gauge state</source>
        <translation>계기상태</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="199"/>
        <source>Engine type</source>
        <translation>원동기형식</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="201"/>
        <source>Warranty</source>
        <translation>보증유형</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="202"/>
        <source>Identity check (VIN, plate)</source>
        <translation>동일성확인(차대번호·등록번호)</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="203"/>
        <source>Illegal modification</source>
        <translation>불법구조변경</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="204"/>
        <source>Accident history</source>
        <translation>사고이력</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="205"/>
        <location filename="../inspection_sheet.cc" line="452"/>
        <source>Flood damage</source>
        <translation>침수</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="206"/>
        <source>Self-diagnosis: engine</source>
        <translation>자기진단: 원동기</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="207"/>
        <source>Self-diagnosis: transmission</source>
        <translation>자기진단: 변속기</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="208"/>
        <source>Emissions</source>
        <translation>배출가스</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="209"/>
        <source>Usage history</source>
        <translation>용도이력</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="218"/>
        <source>Major components</source>
        <translation>주요장치</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="221"/>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="221"/>
        <source>Item</source>
        <translation>항목</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="221"/>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="234"/>
        <source>Body panels (back page)</source>
        <translation>외판·주요골격 (뒷면)</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="241"/>
        <source>Remarks</source>
        <translation>특이사항</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="246"/>
        <source>Inspection</source>
        <translation>점검 정보</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="249"/>
        <source>Inspector</source>
        <translation>점검자</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="250"/>
        <source>Agency</source>
        <translation>점검기관</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="337"/>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="351"/>
        <source>%1 km</source>
        <translation>%1km</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="361"/>
        <source>present</source>
        <translation>있음</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="362"/>
        <source>yes</source>
        <comment>accident declared</comment>
        <translation>있음</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="363"/>
        <source>yes</source>
        <comment>flood damage</comment>
        <translation>있음</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="375"/>
        <source>CO %1 %</source>
        <translation>CO %1%</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="378"/>
        <source>HC %1 ppm</source>
        <translation>HC %1ppm</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="381"/>
        <source>smoke %1 %</source>
        <translation>매연 %1%</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="407"/>
        <source>Agency key %1</source>
        <translation>점검기관 키 %1</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="438"/>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="443"/>
        <source>No accident</source>
        <translation>무사고</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="445"/>
        <source>Accident (by frame rule)</source>
        <translation>사고 (주요골격 기준)</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="446"/>
        <source>Frame parts were replaced or welded:</source>
        <translation>주요골격 부위가 교환되었거나 판금/용접되었습니다:</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="449"/>
        <source>Accident</source>
        <translation>사고</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="454"/>
        <source>Odometer rollback</source>
        <translation>주행거리 조작 의심</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="455"/>
        <source>The reading is lower than an earlier reading of this car.</source>
        <translation>이 차량의 이전 기록보다 주행거리가 적습니다.</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="458"/>
        <source>Odometer unverified</source>
        <translation>주행거리 미확인</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="459"/>
        <source>The odometer gauge is faulty or its state is unknown.</source>
        <translation>주행거리 계기가 작동불량이거나 상태를 알 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="462"/>
        <source>The VIN or plate did not check out.</source>
        <translation>차대번호 또는 등록번호 확인 결과에 이상이 있습니다.</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="464"/>
        <source>The model year differs from the registered year.</source>
        <translation>연식이 등록된 연식과 다릅니다.</translation>
    </message>
    <message>
        <location filename="../inspection_sheet.cc" line="466"/>
        <source>Identity issue</source>
        <translation>동일성확인 이상</translation>
    </message>
</context>
<context>
    <name>carledger::app::LoginDialog</name>
    <message>
        <location filename="../login_dialog.cc" line="21"/>
        <source>Sign in to CarLedger</source>
        <translation>CarLedger 로그인</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="24"/>
        <location filename="../login_dialog.cc" line="67"/>
        <source>Sign in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="25"/>
        <source>Create an account</source>
        <translation>회원가입</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="40"/>
        <source>This account&apos;s wallet key (%1…) is not on this computer: import your key backup from the Account menu.</source>
        <translation>이 계정의 지갑 키(%1…)가 이 컴퓨터에 없습니다. 계정 메뉴에서 키 백업을 가져오세요.</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="63"/>
        <source>unlocks your signing key on this computer</source>
        <translation>이 컴퓨터에 저장된 서명 키의 잠금을 해제합니다</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="64"/>
        <location filename="../login_dialog.cc" line="92"/>
        <source>Login ID</source>
        <translation>아이디</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="65"/>
        <location filename="../login_dialog.cc" line="93"/>
        <source>Password</source>
        <translation>비밀번호</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="66"/>
        <location filename="../login_dialog.cc" line="97"/>
        <source>Wallet passphrase</source>
        <translation>지갑 암호</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="92"/>
        <source>4–32 of a–z, 0–9, . _ -</source>
        <translation>영문 소문자, 숫자, . _ - 조합 4–32자</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="93"/>
        <source>at least 10 characters</source>
        <translation>10자 이상</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="94"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="95"/>
        <source>Address</source>
        <translation>주소</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="96"/>
        <source>Phone</source>
        <translation>전화번호</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="96"/>
        <source>e.g. 01012345678</source>
        <translation>예: 01012345678</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="97"/>
        <source>protects your signing key; 8+ characters</source>
        <translation>서명 키를 보호하는 암호, 8자 이상</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="108"/>
        <source>I have read and agree to the terms of service</source>
        <translation>이용약관을 읽었으며 이에 동의합니다</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="116"/>
        <source>Create account</source>
        <translation>가입하기</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="121"/>
        <source>Terms of service</source>
        <translation>이용약관</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="143"/>
        <location filename="../login_dialog.cc" line="146"/>
        <source>required</source>
        <translation>필수 입력 항목입니다</translation>
    </message>
    <message>
        <location filename="../login_dialog.cc" line="158"/>
        <source>you must agree to the terms to create an account</source>
        <translation>회원가입하려면 이용약관에 동의해야 합니다</translation>
    </message>
</context>
<context>
    <name>carledger::app::OdometerChart</name>
    <message>
        <location filename="../odometer_chart.cc" line="24"/>
        <source>registration</source>
        <translation>등록</translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="25"/>
        <source>inspection</source>
        <translation>점검</translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="47"/>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="49"/>
        <source>Odometer (km)</source>
        <translation>주행거리(km)</translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="70"/>
        <source>Reading</source>
        <translation>주행거리 기록</translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="73"/>
        <source>Rollback (lower than an earlier reading)</source>
        <translation>조작 의심 (이전 기록보다 적음)</translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="106"/>
        <source>No odometer readings</source>
        <translation>주행거리 기록이 없습니다</translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="141"/>
        <source>%1: %2 km (%3)</source>
        <translation>%1: %2km (%3)</translation>
    </message>
    <message>
        <location filename="../odometer_chart.cc" line="146"/>
        <source>Lower than the earlier reading of %1 km</source>
        <translation>이전 기록 %1km보다 적습니다</translation>
    </message>
</context>
<context>
    <name>carledger::app::PanelDiagram</name>
    <message>
        <location filename="../panel_diagram.cc" line="201"/>
        <source>replaced</source>
        <translation>교환</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="202"/>
        <source>sheet metal / welded</source>
        <translation>판금/용접</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="203"/>
        <source>corrosion</source>
        <translation>부식</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="204"/>
        <source>scratch</source>
        <translation>흠집</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="205"/>
        <source>dent</source>
        <translation>요철</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="206"/>
        <source>damage</source>
        <translation>손상</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="207"/>
        <source>unknown mark</source>
        <translation>알 수 없는 표시</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="279"/>
        <source>Front</source>
        <translation>앞</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="283"/>
        <source>L</source>
        <comment>left side of the car</comment>
        <translation>좌</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="285"/>
        <source>R</source>
        <comment>right side of the car</comment>
        <translation>우</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="373"/>
        <source>Outer panel (bolt-on)</source>
        <translation>외판 (볼트 체결)</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="382"/>
        <source>Frame part (welded)</source>
        <translation>주요골격 (용접)</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="445"/>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <location filename="../panel_diagram.cc" line="454"/>
        <source>Other panels:</source>
        <translation>기타 부위:</translation>
    </message>
</context>
<context>
    <name>carledger::app::Session</name>
    <message>
        <location filename="../session.cc" line="45"/>
        <source>at least 8 characters</source>
        <translation>8자 이상이어야 합니다</translation>
    </message>
    <message>
        <location filename="../session.cc" line="195"/>
        <source>the wallet key is not unlocked</source>
        <translation>지갑 키가 잠겨 있습니다</translation>
    </message>
    <message>
        <location filename="../session.cc" line="198"/>
        <source>the wallet key is still being registered with the network; try again in a moment</source>
        <translation>지갑 키를 네트워크에 등록하는 중입니다. 잠시 후 다시 시도하세요</translation>
    </message>
</context>
<context>
    <name>carledger::app::VerificationBadge</name>
    <message>
        <location filename="../status_widgets.cc" line="19"/>
        <source>Verifying the history…</source>
        <translation>이력을 검증하는 중…</translation>
    </message>
    <message numerus="yes">
        <location filename="../status_widgets.cc" line="26"/>
        <source>✔ Verified by %1 of %2 validators · %n event(s) checked</source>
        <translation>
            <numerusform>✔ 검증자 %2곳 중 %1곳 인증 · 이벤트 %n건 확인</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="31"/>
        <source>Every event is in a block certified by the validators, and the events form one unbroken chain.</source>
        <translation>모든 이벤트가 검증자들이 인증한 블록에 들어 있으며, 끊김 없이 하나의 체인으로 이어져 있습니다.</translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="38"/>
        <source>⚠ This history could not be verified: %1</source>
        <translation>⚠ 이 이력을 검증할 수 없습니다: %1</translation>
    </message>
    <message>
        <location filename="../status_widgets.cc" line="39"/>
        <source>Do not rely on what this node shows. Try another node or report it.</source>
        <translation>이 노드가 보여 주는 내용을 믿지 마세요. 다른 노드로 다시 시도하거나 신고해 주세요.</translation>
    </message>
</context>
</TS>

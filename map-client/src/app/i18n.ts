/**
 * Every string the map shows people, in Vietnamese (the default) and English. One place, so a
 * translator reads one file and a test can prove both languages have every key.
 *
 * `{name}` placeholders are filled by `t(key, { name })`. A message that counts something has one
 * text per plural category of its language, chosen by the `count` parameter (Intl.PluralRules):
 * English writes "1 report" and "2 reports"; Vietnamese has no plural forms, so its messages are plain
 * strings.
 */
const vi = {
  'app.title': 'Bản đồ số Điện Biên',
  'app.skipToMap': 'Bỏ qua, đến bản đồ',
  'search.label': 'Tìm địa điểm',
  'search.placeholder': 'Tìm xã, đường, di tích…',
  'search.results': 'Kết quả tìm kiếm',
  'search.none': 'Không tìm thấy “{query}”',
  'search.failed': 'Chưa tìm được, hãy thử lại.',
  'search.count': '{count} kết quả',
  'search.flewTo': 'Đã đến {name}',
  'search.pinHere': 'Báo cáo tại đây',
  'search.clear': 'Bỏ kết quả đã chọn',
  'search.kind.commune': 'Xã, phường',
  'search.kind.heritage': 'Di tích',
  'search.kind.facility': 'Cơ sở khẩn cấp',
  'search.kind.planning_zone': 'Khu quy hoạch',
  'search.kind.street': 'Đường phố',
  'search.kind.place': 'Địa danh',
  'search.kind.poi': 'Địa điểm',
  'app.loading': 'Đang tải bản đồ…',
  'app.offline': 'Bạn đang ngoại tuyến. Bản đồ dùng dữ liệu đã lưu.',
  'app.backOnline': 'Đã có kết nối trở lại.',
  'app.installed': 'Bản đồ đã sẵn sàng dùng khi không có mạng.',

  'nav.views': 'Chế độ xem',
  'view.citizen': 'Người dân',
  'view.planning': 'Quy hoạch',
  'view.ioc': 'Điều hành',
  'view.heritage': 'Di tích',

  'language.toggle': 'EN',
  'language.toggleLabel': 'Switch to English',

  'map.label': 'Bản đồ tỉnh Điện Biên',
  'map.sampleData': 'dữ liệu mẫu, vị trí gần đúng',
  'map.zoomIn': 'Phóng to',
  'map.zoomOut': 'Thu nhỏ',
  'map.resetBearing': 'Xoay về hướng bắc',
  'map.fullscreen': 'Toàn màn hình',
  'map.scale': 'Thước tỷ lệ',
  'map.loadFailed': 'Không tải được lớp bản đồ {layer}. Kiểm tra kết nối rồi tải lại trang.',
  'map.noWebgl': 'Trình duyệt này không hiển thị được bản đồ (cần WebGL). Hãy thử trình duyệt khác hoặc bật tăng tốc phần cứng.',

  'layers.title': 'Lớp bản đồ',
  'layers.toggle': 'Lớp bản đồ và chú giải',
  'layers.close': 'Đóng bảng lớp bản đồ',
  'layers.unavailable': 'chưa có dữ liệu',
  'layers.boundaries': 'Ranh giới tỉnh, xã',
  'layers.planning': 'Quy hoạch sử dụng đất',
  'layers.reports': 'Phản ánh của người dân',
  'layers.heritage': 'Di tích lịch sử',
  'layers.cameras': 'Camera giao thông, an ninh',
  'layers.facilities': 'Công an, cứu hỏa, y tế',
  'basemap.layer': 'Bản đồ nền (OpenStreetMap)',
  'basemap.legend.road': 'Đường phố',
  'basemap.legend.water': 'Sông, suối, hồ',
  'basemap.legend.green': 'Công viên, rừng, đồng cỏ',
  'basemap.legend.building': 'Nhà, công trình',
  'basemap.attributionToggle': 'Hiện/ẩn nguồn dữ liệu bản đồ',

  'legend.title': 'Chú giải',
  'legend.province': 'Ranh giới tỉnh',
  'legend.commune': 'Ranh giới xã, phường',
  'legend.outside': 'Ngoài tỉnh',
  'legend.heritage.special_national': 'Di tích quốc gia đặc biệt',
  'legend.heritage.national': 'Di tích quốc gia',
  'legend.heritage.provincial': 'Di tích cấp tỉnh',
  'legend.camera.online': 'Camera hoạt động (tròn, có ống kính)',
  'legend.camera.degraded': 'Camera chập chờn, hình hay bị đứng (tam giác, dấu !)',
  'legend.camera.offline': 'Camera mất tín hiệu (tròn rỗng, dấu ×)',
  'legend.camera.maintenance': 'Camera đang bảo trì (vuông, gạch ngang)',
  'legend.camera.fov': 'Vùng quan sát của camera',
  'legend.facility.police': 'Công an',
  'legend.facility.fire': 'Phòng cháy, chữa cháy',
  'legend.facility.hospital': 'Bệnh viện',
  'legend.facility.clinic': 'Trạm y tế, phòng khám',
  'legend.report.open': 'Phản ánh đang xử lý',
  'legend.report.resolved': 'Phản ánh đã giải quyết',
  'legend.report.overdue': 'Phản ánh quá hạn',
  'legend.report.cluster': 'Nhóm phản ánh (số lượng)',
  'legend.planning.changed': 'Ô quy hoạch thay đổi',

  'landUse.DO': 'Đất ở',
  'landUse.TMDV': 'Đất thương mại – dịch vụ',
  'landUse.CX': 'Đất cây xanh công cộng',
  'landUse.GD': 'Đất giáo dục',
  'landUse.YT': 'Đất y tế',
  'landUse.GT': 'Đất giao thông, bến bãi',
  'landUse.HH': 'Đất hỗn hợp',
  'landUse.DT': 'Đất di tích – bảo tồn',
  'landUse.CQ': 'Đất cơ quan',
  'landUse.MN': 'Mặt nước',
  'landUse.CN': 'Đất công nghiệp – kho tàng',
  'landUse.other': 'Loại đất khác',

  'citizen.hint': '{Tap} vào bản đồ để ghim nơi có vấn đề (hoặc dùng vị trí của bạn), rồi gửi phản ánh đến đúng cơ quan.',
  'citizen.locating': 'Đang xác định xã, phường…',
  'citizen.placeTitle': 'Vị trí đã chọn',
  'citizen.commune': 'Xã, phường',
  'citizen.province': 'Tỉnh',
  'citizen.onBorder': 'Nằm trên ranh giới với: {names}',
  'citizen.close': 'Đóng',
  'citizen.coordinates': 'Tọa độ',

  'emergency.button': 'Khẩn cấp',
  'emergency.buttonLabel': 'Khẩn cấp: gọi 113, 114, 115 và tìm đơn vị gần nhất',
  'emergency.title': 'Gọi khẩn cấp',
  'emergency.close': 'Đóng',
  'emergency.call113': 'Công an',
  'emergency.call114': 'Cứu hỏa, cứu nạn',
  'emergency.call115': 'Cấp cứu y tế',
  'emergency.callLabel': 'Gọi {number}: {service}',
  'emergency.nearestTitle': 'Gần bạn nhất',
  'emergency.locating': 'Đang lấy vị trí của bạn…',
  'emergency.usingMapCentre': 'Chưa có vị trí của bạn; đang dùng vị trí giữa bản đồ.',
  'emergency.usingDevice': 'Theo vị trí của bạn (sai số khoảng {accuracy}).',
  'emergency.noneFound': 'Không tìm thấy đơn vị nào.',
  'emergency.loadFailed': 'Không tải được danh sách đơn vị gần nhất. Bạn vẫn gọi được 113, 114, 115.',
  'emergency.distance': 'cách {distance}',
  'emergency.showOnMap': 'Xem trên bản đồ',
  'emergency.callPhone': 'Gọi {phone}',
  'emergency.kind.police': 'Công an gần nhất',
  'emergency.kind.fire': 'Cứu hỏa gần nhất',
  'emergency.kind.hospital': 'Bệnh viện gần nhất',
  'emergency.kind.clinic': 'Trạm y tế gần nhất',

  'planning.title': 'Quy hoạch',
  'planning.plan': 'Đồ án quy hoạch',
  'planning.version': 'Phiên bản',
  'planning.versionOption': 'Năm {version} – QĐ {decision}',
  'planning.showChanges': 'Tô các ô thay đổi so với phiên bản {version}',
  'planning.changesSummary': '{count} ô thay đổi so với phiên bản {version}.',
  'planning.noChanges': 'Không có thay đổi so với phiên bản {version}.',
  'planning.hint': '{Tap} vào một ô quy hoạch để xem chỉ tiêu áp dụng tại đó.',
  'planning.whatApplies': 'Chỉ tiêu áp dụng tại điểm này',
  'planning.nothingHere': 'Điểm này nằm ngoài khu vực có quy hoạch.',
  'planning.loading': 'Đang tra cứu quy hoạch…',
  'planning.loadFailed': 'Không tải được dữ liệu quy hoạch.',
  'planning.zone': 'Ô quy hoạch',
  'planning.landUse': 'Chức năng sử dụng đất',
  'planning.density': 'Mật độ xây dựng tối đa',
  'planning.floors': 'Tầng cao tối đa',
  'planning.height': 'Chiều cao tối đa',
  'planning.far': 'Hệ số sử dụng đất',
  'planning.area': 'Diện tích ô',
  'planning.decision': 'Quyết định phê duyệt',
  'planning.decisionValue': '{number} ngày {date}',
  'planning.authority': 'Cơ quan phê duyệt',
  'planning.planName': 'Đồ án',
  'planning.versionLabel': 'Phiên bản',
  'planning.change.added': 'Ô mới trong phiên bản {version}',
  'planning.change.removed': 'Ô bị bỏ trong phiên bản {version}',
  'planning.change.changed': 'Thay đổi so với {version}: {attributes}',
  'planning.change.geometry': 'ranh giới ô',
  'planning.unitFloors': '{value} tầng',
  'planning.unitMetres': '{value} m',
  'planning.unitPercent': '{value} %',
  'planning.unitHectares': '{value} ha',
  'planning.notSet': 'không quy định',
  'planning.closeDetails': 'Đóng thông tin ô quy hoạch',

  'measure.title': 'Đo đạc',
  'measure.distance': 'Đo khoảng cách',
  'measure.area': 'Đo diện tích',
  'measure.addCentre': 'Thêm điểm ở tâm bản đồ',
  'measure.undo': 'Bỏ điểm cuối',
  'measure.finish': 'Xong',
  'measure.clear': 'Xóa phép đo',
  'measure.hintDistance': '{Tap} vào các điểm trên bản đồ (hoặc dùng nút “Thêm điểm ở tâm bản đồ”).',
  'measure.hintArea': '{Tap} vào ít nhất 3 điểm để khép vùng cần đo.',
  'measure.resultDistance': 'Chiều dài: {value}',
  'measure.resultArea': 'Diện tích: {value}',
  'measure.points': '{count} điểm',

  'ioc.title': 'Trung tâm điều hành (IOC)',
  'ioc.loginRequired': 'Chế độ điều hành dành cho cán bộ IOC: phản ánh mới theo thời gian thực, mật độ phản ánh và thống kê. Hãy đăng nhập.',
  'ioc.loading': 'Đang tải công cụ điều hành…',
  'ioc.ready': 'Lớp điều hành đã sẵn sàng.',
  'sheet.expand': 'Mở rộng',
  'sheet.collapse': 'Thu gọn',

  'citizen.useMyLocation': 'Dùng vị trí của tôi',
  'citizen.pinCentre': 'Ghim ở giữa bản đồ',
  'citizen.movePin': '{Tap} vào bản đồ hoặc kéo điểm ghim để sửa vị trí.',
  'citizen.locatingDevice': 'Đang lấy vị trí của bạn…',
  'citizen.locationDenied': 'Không lấy được vị trí của bạn. Hãy cho phép trang dùng vị trí, hoặc {tap} vào bản đồ để ghim.',
  'citizen.accuracy': 'Vị trí của bạn, sai số khoảng {accuracy}',
  'citizen.offlinePlace': 'Bạn đang ngoại tuyến: xã, phường sẽ được xác định khi phản ánh được gửi.',
  'citizen.reportHere': 'Phản ánh vấn đề tại đây',
  'citizen.myReports': 'Phản ánh của tôi',
  'citizen.queueSummary': '{count} phản ánh đang chờ gửi',
  'citizen.clusterZoom': 'Nhóm {count} phản ánh: đang phóng to.',

  'filters.title': 'Lọc phản ánh trên bản đồ',
  'filters.category': 'Lĩnh vực',
  'filters.allCategories': 'Tất cả lĩnh vực',
  'filters.status': 'Trạng thái',
  'filters.allStatuses': 'Mọi trạng thái',
  'filters.open': 'Đang xử lý',
  'filters.resolved': 'Đã giải quyết',
  'filters.closed': 'Từ chối, trùng lặp',
  'filters.period': 'Thời gian gửi',
  'filters.periodAll': 'Mọi lúc',
  'filters.period7': '7 ngày qua',
  'filters.period30': '30 ngày qua',
  'filters.period365': '12 tháng qua',
  'filters.reset': 'Bỏ lọc',

  'status.received': 'Đã tiếp nhận',
  'status.accepted': 'Đã xác nhận',
  'status.in_progress': 'Đang xử lý',
  'status.waiting_for_citizen': 'Chờ người dân bổ sung',
  'status.resolved': 'Đã giải quyết',
  'status.rejected': 'Từ chối',
  'status.transferred': 'Đã chuyển',
  'status.reopened': 'Mở lại',
  'status.duplicate': 'Trùng lặp',

  'event.routed': 'Tiếp nhận và chuyển đến {office}',
  'event.accepted': 'Cơ quan xác nhận đã nhận',
  'event.started': 'Bắt đầu xử lý',
  'event.information_requested': 'Cơ quan đề nghị bổ sung thông tin',
  'event.information_added': 'Người dân bổ sung thông tin',
  'event.resumed': 'Tiếp tục xử lý',
  'event.resolved': 'Đã giải quyết',
  'event.rejected': 'Từ chối',
  'event.rejected_not_responsible': 'Không thuộc thẩm quyền, chuyển cơ quan khác',
  'event.transferred': 'Chuyển đến {office}',
  'event.marked_duplicate': 'Đánh dấu trùng với phản ánh khác',
  'event.escalated': 'Quá hạn, báo cáo cấp trên',
  'event.escalated_by_operations': 'Trung tâm điều hành chuyển lên {office} xem xét',
  'event.rated_satisfied': 'Người dân hài lòng với kết quả',
  'event.reopened': 'Người dân chưa hài lòng, mở lại',
  'event.note': 'Ghi chú của cơ quan',
  'event.other': 'Cập nhật: {status}',

  'report.formTitle': 'Gửi phản ánh',
  'report.formLabel': 'Biểu mẫu gửi phản ánh',
  'report.routingTitle': 'Nơi nhận phản ánh',
  'report.routingLoading': 'Đang xác định cơ quan tiếp nhận…',
  'report.routingPickCategory': 'Chọn lĩnh vực để biết cơ quan nào sẽ xử lý.',
  'report.routingOffline': 'Ngoại tuyến: cơ quan tiếp nhận sẽ được xác định khi phản ánh được gửi.',
  'report.commune': 'Xã, phường',
  'report.office': 'Cơ quan xử lý',
  'report.nearBorder': 'Điểm ghim gần ranh giới với {names}. Hãy kiểm tra lại vị trí trước khi gửi.',
  'report.category': 'Lĩnh vực',
  'report.categoryPlaceholder': '— Chọn lĩnh vực —',
  'report.categoriesFailed': 'Không tải được danh sách lĩnh vực. Kiểm tra kết nối rồi mở lại biểu mẫu.',
  'report.description': 'Mô tả vấn đề',
  'report.descriptionHint': 'Điều gì đang xảy ra, từ khi nào, ảnh hưởng thế nào (ít nhất 5 ký tự).',
  'report.photos': 'Ảnh hiện trường (tối đa {max})',
  'report.addPhotos': 'Thêm ảnh',
  'report.photoPreparing': 'Đang xử lý ảnh…',
  'report.photoRemove': 'Bỏ ảnh {index}',
  'report.photoAlt': 'Ảnh {index} sẽ gửi kèm',
  'report.photoGps': 'có tọa độ GPS',
  'report.photoNoGps': 'không có tọa độ GPS',
  'report.photoTooMany': 'Chỉ gửi kèm được tối đa {count} ảnh.',
  'report.photoTooLarge': 'Ảnh "{name}" quá lớn ({size}); tối đa {max}. Hãy chụp lại hoặc chọn ảnh khác.',
  'report.photoUnsupported': '"{name}" không phải ảnh JPEG, PNG, WebP hoặc HEIC. Hãy chọn ảnh khác.',
  'report.contactTitle': 'Thông tin liên hệ (không bắt buộc, không công khai)',
  'report.name': 'Họ và tên',
  'report.phone': 'Số điện thoại',
  'report.email': 'Thư điện tử',
  'report.consent': 'Đồng ý để cơ quan xử lý liên hệ với tôi',
  'report.send': 'Gửi phản ánh',
  'report.cancel': 'Hủy',
  'report.missingCategory': 'Hãy chọn lĩnh vực của vấn đề.',
  'report.missingDescription': 'Hãy mô tả vấn đề (ít nhất 5 ký tự).',
  'report.nearbyTitle': 'Đã có phản ánh tương tự gần đây',
  'report.nearbyIntro': 'Nếu đúng là cùng một vấn đề, hãy theo dõi phản ánh đó thay vì gửi thêm.',
  'report.nearbyDistance': 'cách {distance}',
  'report.follow': 'Theo dõi phản ánh này',
  'report.following': 'Bạn đang theo dõi phản ánh {code}. Xem trong "Phản ánh của tôi".',
  'report.sentTitle': 'Đã gửi phản ánh',
  'report.trackingCode': 'Mã theo dõi',
  'report.sentDetail': '{office} sẽ xử lý, hạn giải quyết {due}.',
  'report.keepCode': 'Mã đã được lưu trong "Phản ánh của tôi" trên máy này. Hãy ghi lại mã để tra cứu ở máy khác.',
  'report.queuedTitle': 'Phản ánh đã được lưu trên máy',
  'report.failedTitle': 'Chưa gửi được phản ánh',
  'report.retry': 'Thử gửi lại',
  'report.discard': 'Xóa phản ánh chưa gửi',
  'report.viewDetail': 'Xem chi tiết',
  'report.newReport': 'Gửi phản ánh khác',

  'queue.waiting': 'Chưa có kết nối. Phản ánh sẽ tự động được gửi khi có mạng trở lại — bạn không cần gửi lại.',
  'queue.retrying': 'Chưa gửi được (lần {attempt}). Sẽ tự thử lại lúc {time}.',
  'queue.sending': 'Đang gửi… {percent}%',
  'queue.sent': 'Đã gửi — mã theo dõi {code}',
  'queue.sentLater': 'Phản ánh chờ gửi từ {time} đã được gửi — mã theo dõi {code}.',
  'status.dismiss': 'Đóng thông báo',
  'citizen.copyCoordinates': 'Sao chép tọa độ',
  'citizen.coordinatesCopied': 'Đã sao chép tọa độ {value}.',
  'queue.failed': 'Không gửi được: {message}',
  'queue.failedHint': 'Hãy sửa rồi gửi lại dưới dạng phản ánh mới, hoặc xóa phản ánh này.',

  'mine.title': 'Phản ánh của tôi',
  'mine.empty': 'Bạn chưa gửi hoặc theo dõi phản ánh nào trên máy này.',
  'mine.reporter': 'Bạn đã gửi',
  'mine.follower': 'Bạn đang theo dõi',
  'mine.pending': 'Chưa gửi',
  'mine.lookupLabel': 'Tra cứu theo mã theo dõi (ví dụ DB-7K3M9Q)',
  'mine.lookupButton': 'Tra cứu',
  'mine.lookupInvalid': 'Mã theo dõi có dạng DB-7K3M9Q.',
  'mine.back': 'Quay lại',

  'detail.title': 'Phản ánh {code}',
  'detail.loading': 'Đang tải phản ánh…',
  'detail.status': 'Trạng thái',
  'detail.category': 'Lĩnh vực',
  'detail.commune': 'Xã, phường',
  'detail.office': 'Cơ quan xử lý',
  'detail.createdAt': 'Gửi lúc',
  'detail.dueAt': 'Hạn giải quyết',
  'detail.overdue': 'Quá hạn',
  'detail.description': 'Nội dung',
  'detail.answer': 'Trả lời của cơ quan',
  'detail.rejection': 'Lý do từ chối',
  'detail.photos': 'Ảnh',
  'detail.photoAlt': 'Ảnh {index} của phản ánh {code}',
  'detail.timeline': 'Quá trình xử lý',
  'detail.followers': '{count} người theo dõi',
  'detail.rateTitle': 'Bạn có hài lòng với kết quả giải quyết?',
  'detail.satisfied': 'Hài lòng',
  'detail.notSatisfied': 'Chưa hài lòng',
  'detail.ratingComment': 'Góp ý (không bắt buộc)',
  'detail.rated': 'Đánh giá của người gửi: {rating}',
  'detail.ratingSaved': 'Cảm ơn bạn đã đánh giá.',
  'detail.reopened': 'Phản ánh đã được mở lại và chuyển cho cơ quan xử lý tiếp.',
  'detail.infoTitle': 'Cơ quan đề nghị bạn bổ sung thông tin',
  'detail.infoNote': 'Thông tin bổ sung',
  'detail.infoSend': 'Gửi thông tin',
  'detail.infoSent': 'Đã gửi thông tin bổ sung.',
  'detail.close': 'Đóng',
  'detail.notSaved': 'Phản ánh này không được gửi từ máy này, nên bạn không đánh giá được ở đây.',

  'ioc.loginTitle': 'Đăng nhập cán bộ điều hành',
  'ioc.email': 'Thư điện tử',
  'ioc.password': 'Mật khẩu',
  'ioc.login': 'Đăng nhập',
  'ioc.loggingIn': 'Đang đăng nhập…',
  'ioc.logout': 'Đăng xuất',
  'ioc.signedInAs': 'Đã đăng nhập: {name}',
  'ioc.notOperator': 'Tài khoản {name} không có quyền điều hành. Hãy đăng nhập bằng tài khoản trực ban IOC.',
  'ioc.liveTitle': 'Phản ánh mới (trực tiếp)',
  'ioc.liveConnected': 'Đang nhận phản ánh mới theo thời gian thực.',
  'ioc.liveReconnecting': 'Mất kết nối luồng trực tiếp, đang kết nối lại…',
  'ioc.liveEmpty': 'Chưa có phản ánh mới từ khi mở trang.',
  'ioc.liveAnnounce': 'Phản ánh mới {code}: {category}, {commune}',
  'ioc.showOnMap': 'Xem {code} trên bản đồ',
  'ioc.layers': 'Lớp điều hành',
  'ioc.layerDensity': 'Mật độ phản ánh (ô lục giác)',
  'ioc.layerOnTime': 'Tỷ lệ giải quyết đúng hạn theo xã',
  'ioc.layerLive': 'Phản ánh mới trực tiếp',
  'ioc.legendOnTime': 'Đỏ: đúng hạn thấp · xanh: đúng hạn cao · xám: chưa có số liệu',
  'ioc.statsTitle': 'Thống kê từ đầu năm',
  'ioc.groupBy': 'Nhóm theo',
  'ioc.byCommune': 'Xã, phường',
  'ioc.byOffice': 'Cơ quan',
  'ioc.byCategory': 'Lĩnh vực',
  'ioc.totals': '{received} tiếp nhận · {open} đang xử lý · {overdue} quá hạn · đúng hạn {onTime} · hài lòng {satisfaction}',
  'ioc.chartLabel': 'Biểu đồ số phản ánh theo {group}',
  'ioc.received': 'Tiếp nhận',
  'ioc.overdue': 'Quá hạn',
  'ioc.onTime': 'Đúng hạn',
  'ioc.medianResolve': 'Trung vị giải quyết',
  'ioc.noRate': 'chưa có',
  'ioc.hours': '{value} giờ',
  'ioc.overdueTitle': 'Phản ánh quá hạn',
  'ioc.overdueEmpty': 'Không có phản ánh quá hạn.',
  'ioc.overdueItem': '{code} · {category} · {office}',
  'ioc.statsFailed': 'Không tải được thống kê.',
  'ioc.dataFailed': 'Không tải được dữ liệu bản đồ điều hành.',
  'ioc.hexagonTooltip': '{count} phản ánh trong ô này',
  'ioc.communeTooltip': '{name}: đúng hạn {rate}',

  'camera.status.online': 'Hoạt động',
  'camera.status.degraded': 'Chập chờn',
  'camera.status.offline': 'Mất tín hiệu',
  'camera.status.maintenance': 'Đang bảo trì',
  'camera.health': 'Tình trạng: {status}',
  'camera.lastSeen': 'Tín hiệu gần nhất: {time}',
  'camera.restricted': 'Camera nội bộ (chỉ cán bộ IOC)',
  'camera.owner': 'Đơn vị quản lý: {owner}',
  'camera.close': 'Đóng camera',
  'camera.listFailed': 'Không tải được danh sách camera.',
  'camera.openFailed': 'Không mở được trình phát camera. Kiểm tra kết nối rồi thử lại.',
  'camera.addToWall': 'Đưa lên màn hình camera',
  'camera.addedToWall': 'Đã đưa {name} lên màn hình camera.',
  'camera.alreadyOnWall': '{name} đã có trên màn hình camera.',
  'camera.wallFull': 'Màn hình camera đã đủ {tiles} ô. Bỏ bớt một camera trên màn hình trước.',

  'player.videoLabel': 'Hình của camera {name}',
  'player.state.connecting': 'Đang kết nối…',
  'player.state.live': 'Trực tiếp',
  'player.state.replay': 'Xem lại',
  'player.state.reconnecting': 'Đang kết nối lại…',
  'player.state.offline': 'Mất tín hiệu',
  'player.state.paused': 'Tạm dừng',
  'player.state.denied': 'Không có quyền xem',
  'player.state.failed': 'Không phát được',
  'player.delay': 'chậm {seconds} giây',
  'player.delayLabel': 'Hình chậm {seconds} giây so với thực tế',
  'player.replayFrom': 'Đang xem lại từ {time}.',
  'player.backToLive': 'Về trực tiếp',
  'player.retryIn': 'Tự thử lại sau {seconds} giây.',
  'player.problem.network': 'Mất kết nối tới luồng video.',
  'player.problem.unreachable': 'Camera không phản hồi.',
  'player.problem.media': 'Lỗi giải mã hình, đang khôi phục.',
  'player.problem.stalled': 'Hình đang đứng, chờ dữ liệu…',
  'player.problem.frozen': 'Hình đứng yên {seconds} giây: đang tải lại luồng.',
  'player.problem.error': 'Trình phát gặp lỗi, đang khởi động lại.',
  'player.signInRequired': 'Camera này chỉ dành cho cán bộ Trung tâm điều hành (IOC). Hãy đăng nhập ở chế độ Điều hành.',
  'player.forbidden': 'Tài khoản đang đăng nhập không được xem camera này. Hãy đăng nhập bằng tài khoản trực ban IOC.',
  'player.signIn': 'Đăng nhập IOC',
  'player.notFound': 'Không tìm thấy camera này (có thể đã bị gỡ).',
  'player.outOfWindow': 'Bản ghi của camera không còn lưu đến thời điểm này (chỉ lưu {minutes} phút gần nhất).',
  'player.outOfWindowUnknown': 'Bản ghi của camera không còn lưu đến thời điểm này.',
  'player.unsupported': 'Trình duyệt này không phát được video trực tiếp (HLS). Hãy dùng trình duyệt khác.',
  'player.failed': 'Không phát được camera này.',

  'wall.title': 'Màn hình camera',
  'wall.open': 'Mở màn hình camera',
  'wall.backToMap': 'Về bản đồ điều hành',
  'wall.layout': 'Bố cục',
  'wall.layout4': '4 ô (2×2)',
  'wall.layout9': '9 ô (3×3)',
  'wall.cameras': 'Danh sách camera',
  'wall.camerasHint': 'Chọn camera để đưa vào ô trống; trên bản đồ điều hành, bấm vào một camera rồi chọn “Đưa lên màn hình camera”.',
  'wall.loading': 'Đang tải danh sách camera…',
  'wall.none': 'Chưa có camera nào.',
  'wall.add': 'Đưa {name} vào ô trống',
  'wall.remove': 'Bỏ {name} khỏi màn hình',
  'wall.onWall': 'đang hiển thị',
  'wall.emptyTile': 'Ô trống: chọn một camera trong danh sách.',
  'wall.tileLabel': 'Ô {index}: {name}',
  'wall.full': 'Các ô đã đủ. Bỏ bớt một camera hoặc chọn bố cục 9 ô.',
  'wall.statusChanged': 'Camera {name}: {status}',

  'ioc.layerCameras': 'Camera (tình trạng trực tiếp)',
  'ioc.reportTitle': 'Phản ánh {code}',
  'ioc.reportClose': 'Đóng chi tiết phản ánh',
  'ioc.reportSent': 'Gửi lúc',
  'ioc.reportCategory': 'Lĩnh vực',
  'ioc.reportStatus': 'Trạng thái',
  'ioc.reportPlace': 'Xã, phường',
  'ioc.reportOffice': 'Cơ quan xử lý',
  'ioc.showDetails': 'Xem chi tiết phản ánh {code}',

  'seeing.title': 'Camera quan sát vị trí này',
  'seeing.loading': 'Đang tìm camera…',
  'seeing.none': 'Không có camera nào nhìn thấy vị trí này.',
  'seeing.distance': 'cách {distance}',
  'seeing.watchLive': 'Xem trực tiếp',
  'seeing.watchLiveLabel': 'Xem trực tiếp camera {name}',
  'seeing.replay': 'Xem lại lúc gửi phản ánh',
  'seeing.replayLabel': 'Xem lại camera {name} lúc gửi phản ánh',
  'seeing.tooOld': 'Bản ghi không còn lưu đến lúc gửi phản ánh (camera chỉ lưu {minutes} phút gần nhất).',

  'heritage.title': 'Di tích lịch sử',
  'heritage.intro': 'Chọn một di tích để xem tour 3D có thuyết minh. Ở di tích có mô hình, phóng to và nghiêng bản đồ để thấy mô hình tại chỗ.',
  'heritage.loading': 'Đang tải danh sách di tích…',
  'heritage.loadFailed': 'Không tải được danh sách di tích. Kiểm tra kết nối rồi tải lại trang.',
  'heritage.tour3d': 'Tour 3D · {count} điểm dừng',
  'heritage.stopsOnly': 'Thuyết minh · {count} điểm dừng',
  'heritage.noTour': 'Chưa có tour',
  'heritage.showOnMap': 'Xem mô hình trên bản đồ',
  'heritage.showOnMapLabel': 'Xem mô hình {name} trên bản đồ',
  'heritage.openTour': 'Mở tour 3D: {name}',
  'heritage.openSite': 'Xem di tích: {name}',
  'pick.title': 'Ở đây có',
  'pick.report': 'Phản ánh',
  'pick.openReport': 'Xem phản ánh {code}',
  'pick.reportNew': 'Báo cáo vấn đề mới tại đây',
  'pick.heritage': 'Di tích',
  'pick.facility': 'Cơ sở cứu hộ, khẩn cấp',
  'pick.watchCamera': 'Xem camera',
  'pick.call': 'Gọi {phone}',
  'pick.zone': 'Khu quy hoạch {code}',
  'pick.zoneFloors': 'Tầng cao tối đa: {floors} tầng',
  'pick.zoneDetails': 'Xem chi tiết quy hoạch',
  'map.offlineWaiting': 'Bạn đang ngoại tuyến: bản đồ sẽ tự tải khi có kết nối trở lại.',
  'map.recovered': 'Đã có kết nối: bản đồ đã tải lại.',

  'tour.pageTitle': '{name} · Tour 3D',
  'tour.back': 'Danh sách di tích',
  'tour.loadingSite': 'Đang tải tour…',
  'tour.siteNotFound': 'Không tìm thấy di tích có mã {code}. Quay lại danh sách di tích để chọn di tích khác.',
  'tour.loadingModel': 'Đang tải mô hình 3D… {percent}',
  'tour.noWebgl': 'Trình duyệt này không hiển thị được mô hình 3D (cần WebGL). Hãy bật tăng tốc phần cứng hoặc dùng trình duyệt khác; phần thuyết minh bên dưới vẫn đọc được.',
  'tour.tilesetFailed': 'Không tải được mô hình 3D của di tích. Kiểm tra kết nối rồi bấm Thử lại; phần thuyết minh bên dưới vẫn đọc được.',
  'tour.retry': 'Thử lại',
  'tour.noModel': 'Di tích này chưa có mô hình 3D; phần thuyết minh vẫn đọc được.',
  'tour.illustrative': 'Mô phỏng minh họa, không phải khảo sát thực địa',
  'tour.canvasLabel': 'Mô hình 3D: {name}. Kéo để xoay, chụm hoặc cuộn để phóng to, phím mũi tên để di chuyển.',
  'tour.controlsHint': 'Kéo để xoay · chụm hoặc cuộn để phóng to · kéo hai ngón để di chuyển',
  'tour.stopCounter': 'Điểm dừng {index} / {count}',
  'tour.previous': 'Trước',
  'tour.next': 'Tiếp',
  'tour.autoplay': 'Tự động',
  'tour.pause': 'Tạm dừng',
  'tour.readAloud': 'Đọc to',
  'tour.stopReading': 'Dừng đọc',
  'tour.noStops': 'Tour của di tích này chưa có điểm dừng.',
  'tour.info': 'Thông tin di tích',
  'tour.rank': 'Xếp hạng',
  'tour.openingHours': 'Giờ mở cửa',
  'tour.hoursUnknown': 'Chưa có thông tin',
  'tour.saveOffline': 'Lưu để xem ngoại tuyến',
  'tour.saveAgain': 'Lưu lại bản mới',
  'tour.saving': 'Đang lưu… {done} / {total}',
  'tour.saved': 'Đã lưu để xem ngoại tuyến ({size}). Tour mở được cả khi không có mạng.',
  'tour.savedOutdated': 'Bản đã lưu là mô hình cũ; lưu lại để có bản mới.',
  'tour.saveFailed': 'Không lưu được để xem ngoại tuyến. Kiểm tra kết nối rồi thử lại.',
  'tour.saveUnsupported': 'Trình duyệt này không lưu được tour để xem ngoại tuyến.',
  'tour.removeSaved': 'Xóa bản đã lưu',
  'tour.offline': 'Bạn đang ngoại tuyến: tour dùng bản đã lưu trên máy.',
  'tour.offlineUnsaved': 'Bạn đang ngoại tuyến: phần mô hình chưa tải sẽ hiện khi có mạng trở lại.',

  'error.network': 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
  'error.generic': 'Đã có lỗi. Vui lòng thử lại.',

  'units.metres': '{value} m',
  'units.kilometres': '{value} km',
  'units.squareMetres': '{value} m²',
  'units.hectares': '{value} ha',
  'units.squareKilometres': '{value} km²',
} as const;

export type MessageKey = keyof typeof vi;
export type Language = 'vi' | 'en';

/** A counting message: one text per plural category the language uses; `other` always. */
export type PluralMessage = Readonly<Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }>;
export type Message = string | PluralMessage;

const en = {
  'app.title': 'Điện Biên digital map',
  'app.skipToMap': 'Skip to the map',
  'search.label': 'Search for a place',
  'search.placeholder': 'Search communes, streets, sites…',
  'search.results': 'Search results',
  'search.none': 'Nothing found for “{query}”',
  'search.failed': 'Search failed; try again.',
  'search.count': { one: '{count} result', other: '{count} results' },
  'search.flewTo': 'Showing {name}',
  'search.pinHere': 'Pin here',
  'search.clear': 'Clear the chosen result',
  'search.kind.commune': 'Commune or ward',
  'search.kind.heritage': 'Heritage site',
  'search.kind.facility': 'Emergency facility',
  'search.kind.planning_zone': 'Planning zone',
  'search.kind.street': 'Street',
  'search.kind.place': 'Place',
  'search.kind.poi': 'Point of interest',
  'app.loading': 'Loading the map…',
  'app.offline': 'You are offline. The map uses saved data.',
  'app.backOnline': 'Back online.',
  'app.installed': 'The map is ready to use without a connection.',

  'nav.views': 'Views',
  'view.citizen': 'Citizens',
  'view.planning': 'Planning',
  'view.ioc': 'Operations',
  'view.heritage': 'Heritage',

  'language.toggle': 'VI',
  'language.toggleLabel': 'Chuyển sang tiếng Việt',

  'map.label': 'Map of Điện Biên province',
  'map.sampleData': 'sample data, approximate positions',
  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',
  'map.resetBearing': 'Reset bearing to north',
  'map.fullscreen': 'Full screen',
  'map.scale': 'Scale',
  'map.loadFailed': 'The map layer {layer} could not be loaded. Check your connection and reload the page.',
  'map.noWebgl': 'This browser cannot show the map (WebGL is needed). Try another browser or turn on hardware acceleration.',

  'layers.title': 'Map layers',
  'layers.toggle': 'Map layers and legend',
  'layers.close': 'Close the layers panel',
  'layers.unavailable': 'no data yet',
  'layers.boundaries': 'Province and commune boundaries',
  'layers.planning': 'Land-use planning',
  'layers.reports': 'Citizen reports',
  'layers.heritage': 'Historic sites',
  'layers.cameras': 'Traffic and security cameras',
  'layers.facilities': 'Police, fire and health',
  'basemap.layer': 'Base map (OpenStreetMap)',
  'basemap.legend.road': 'Streets',
  'basemap.legend.water': 'Rivers, streams, lakes',
  'basemap.legend.green': 'Parks, forest, grassland',
  'basemap.legend.building': 'Buildings',
  'basemap.attributionToggle': 'Show or hide the map data sources',

  'legend.title': 'Legend',
  'legend.province': 'Province boundary',
  'legend.commune': 'Commune and ward boundary',
  'legend.outside': 'Outside the province',
  'legend.heritage.special_national': 'Special national site',
  'legend.heritage.national': 'National site',
  'legend.heritage.provincial': 'Provincial site',
  'legend.camera.online': 'Camera online (disc with a lens)',
  'legend.camera.degraded': 'Camera degraded, picture stalls (triangle with !)',
  'legend.camera.offline': 'Camera offline (hollow disc with ×)',
  'legend.camera.maintenance': 'Camera under maintenance (square with a bar)',
  'legend.camera.fov': 'Camera field of view',
  'legend.facility.police': 'Police',
  'legend.facility.fire': 'Fire and rescue',
  'legend.facility.hospital': 'Hospital',
  'legend.facility.clinic': 'Health station or clinic',
  'legend.report.open': 'Report being handled',
  'legend.report.resolved': 'Report resolved',
  'legend.report.overdue': 'Report overdue',
  'legend.report.cluster': 'Group of reports (count)',
  'legend.planning.changed': 'Changed planning zone',

  'landUse.DO': 'Residential',
  'landUse.TMDV': 'Commercial and services',
  'landUse.CX': 'Public green space',
  'landUse.GD': 'Education',
  'landUse.YT': 'Health',
  'landUse.GT': 'Transport, depots and stations',
  'landUse.HH': 'Mixed use',
  'landUse.DT': 'Heritage protection',
  'landUse.CQ': 'Government offices',
  'landUse.MN': 'Water',
  'landUse.CN': 'Industry and warehouses',
  'landUse.other': 'Other land use',

  'citizen.hint': '{Tap} the map to pin a problem (or use your location), then send a report to the office that must answer.',
  'citizen.locating': 'Finding the commune…',
  'citizen.placeTitle': 'Selected place',
  'citizen.commune': 'Commune or ward',
  'citizen.province': 'Province',
  'citizen.onBorder': 'On the boundary with: {names}',
  'citizen.close': 'Close',
  'citizen.coordinates': 'Coordinates',

  'emergency.button': 'Emergency',
  'emergency.buttonLabel': 'Emergency: call 113, 114, 115 and find the nearest station',
  'emergency.title': 'Emergency calls',
  'emergency.close': 'Close',
  'emergency.call113': 'Police',
  'emergency.call114': 'Fire and rescue',
  'emergency.call115': 'Ambulance',
  'emergency.callLabel': 'Call {number}: {service}',
  'emergency.nearestTitle': 'Nearest to you',
  'emergency.locating': 'Getting your position…',
  'emergency.usingMapCentre': 'Your position is not available; using the centre of the map.',
  'emergency.usingDevice': 'From your position (accurate to about {accuracy}).',
  'emergency.noneFound': 'None found.',
  'emergency.loadFailed': 'The nearest stations could not be loaded. You can still call 113, 114, 115.',
  'emergency.distance': '{distance} away',
  'emergency.showOnMap': 'Show on the map',
  'emergency.callPhone': 'Call {phone}',
  'emergency.kind.police': 'Nearest police station',
  'emergency.kind.fire': 'Nearest fire station',
  'emergency.kind.hospital': 'Nearest hospital',
  'emergency.kind.clinic': 'Nearest health station',

  'planning.title': 'Planning',
  'planning.plan': 'Plan',
  'planning.version': 'Version',
  'planning.versionOption': '{version} – decision {decision}',
  'planning.showChanges': 'Highlight zones changed since version {version}',
  'planning.changesSummary': { one: '{count} zone changed since version {version}.', other: '{count} zones changed since version {version}.' },
  'planning.noChanges': 'No changes since version {version}.',
  'planning.hint': '{Tap} a planning zone to see what applies there.',
  'planning.whatApplies': 'What applies at this point',
  'planning.nothingHere': 'This point is outside every planned area.',
  'planning.loading': 'Looking up the plan…',
  'planning.loadFailed': 'The planning data could not be loaded.',
  'planning.zone': 'Zone',
  'planning.landUse': 'Land use',
  'planning.density': 'Maximum building coverage',
  'planning.floors': 'Maximum floors',
  'planning.height': 'Maximum height',
  'planning.far': 'Floor area ratio',
  'planning.area': 'Zone area',
  'planning.decision': 'Approving decision',
  'planning.decisionValue': '{number} of {date}',
  'planning.authority': 'Approved by',
  'planning.planName': 'Plan',
  'planning.versionLabel': 'Version',
  'planning.change.added': 'New zone in version {version}',
  'planning.change.removed': 'Zone dropped in version {version}',
  'planning.change.changed': 'Changed since {version}: {attributes}',
  'planning.change.geometry': 'zone boundary',
  'planning.unitFloors': { one: '{value} floor', other: '{value} floors' },
  'planning.unitMetres': '{value} m',
  'planning.unitPercent': '{value} %',
  'planning.unitHectares': '{value} ha',
  'planning.notSet': 'not set',
  'planning.closeDetails': 'Close the zone details',

  'measure.title': 'Measure',
  'measure.distance': 'Measure distance',
  'measure.area': 'Measure area',
  'measure.addCentre': 'Add a point at the map centre',
  'measure.undo': 'Remove the last point',
  'measure.finish': 'Done',
  'measure.clear': 'Clear the measurement',
  'measure.hintDistance': '{Tap} points on the map (or use “Add a point at the map centre”).',
  'measure.hintArea': '{Tap} at least 3 points to close the area.',
  'measure.resultDistance': 'Length: {value}',
  'measure.resultArea': 'Area: {value}',
  'measure.points': { one: '{count} point', other: '{count} points' },

  'ioc.title': 'Operations centre (IOC)',
  'ioc.loginRequired': 'The operations view is for IOC operators: live reports, report density and statistics. Please sign in.',
  'ioc.loading': 'Loading the operations tools…',
  'ioc.ready': 'The operations layer is ready.',
  'sheet.expand': 'Expand',
  'sheet.collapse': 'Collapse',

  'citizen.useMyLocation': 'Use my location',
  'citizen.pinCentre': 'Pin the centre of the map',
  'citizen.movePin': '{Tap} the map or drag the pin to correct the place.',
  'citizen.locatingDevice': 'Getting your position…',
  'citizen.locationDenied': 'Your position is not available. Allow this page to use your location, or {tap} the map to drop a pin.',
  'citizen.accuracy': 'Your position, accurate to about {accuracy}',
  'citizen.offlinePlace': 'You are offline: the commune will be found when the report is sent.',
  'citizen.reportHere': 'Report a problem here',
  'citizen.myReports': 'My reports',
  'citizen.queueSummary': { one: '{count} report waiting to be sent', other: '{count} reports waiting to be sent' },
  'citizen.clusterZoom': { one: 'A group of {count} report: zooming in.', other: 'A group of {count} reports: zooming in.' },

  'filters.title': 'Filter the reports on the map',
  'filters.category': 'Category',
  'filters.allCategories': 'All categories',
  'filters.status': 'Status',
  'filters.allStatuses': 'Any status',
  'filters.open': 'Being handled',
  'filters.resolved': 'Resolved',
  'filters.closed': 'Rejected or duplicate',
  'filters.period': 'Sent',
  'filters.periodAll': 'Any time',
  'filters.period7': 'In the last 7 days',
  'filters.period30': 'In the last 30 days',
  'filters.period365': 'In the last 12 months',
  'filters.reset': 'Clear the filters',

  'status.received': 'Received',
  'status.accepted': 'Acknowledged',
  'status.in_progress': 'In progress',
  'status.waiting_for_citizen': 'Waiting for the citizen',
  'status.resolved': 'Resolved',
  'status.rejected': 'Rejected',
  'status.transferred': 'Transferred',
  'status.reopened': 'Reopened',
  'status.duplicate': 'Duplicate',

  'event.routed': 'Received and sent to {office}',
  'event.accepted': 'The office acknowledged it',
  'event.started': 'Work started',
  'event.information_requested': 'The office asked for more information',
  'event.information_added': 'The citizen added information',
  'event.resumed': 'Work resumed',
  'event.resolved': 'Resolved',
  'event.rejected': 'Rejected',
  'event.rejected_not_responsible': 'Not this office’s responsibility: sent to another office',
  'event.transferred': 'Transferred to {office}',
  'event.marked_duplicate': 'Marked as a duplicate of another report',
  'event.escalated': 'Overdue: escalated to the supervising office',
  'event.escalated_by_operations': 'The operations centre escalated it to {office}',
  'event.rated_satisfied': 'The citizen was satisfied with the result',
  'event.reopened': 'The citizen was not satisfied: reopened',
  'event.note': 'Note from the office',
  'event.other': 'Update: {status}',

  'report.formTitle': 'Send a report',
  'report.formLabel': 'Report form',
  'report.routingTitle': 'Who will receive it',
  'report.routingLoading': 'Finding the office that will handle it…',
  'report.routingPickCategory': 'Choose a category to see which office will handle it.',
  'report.routingOffline': 'Offline: the office will be found when the report is sent.',
  'report.commune': 'Commune or ward',
  'report.office': 'Office',
  'report.nearBorder': 'The pin is close to the boundary with {names}. Check the place before sending.',
  'report.category': 'Category',
  'report.categoryPlaceholder': '— Choose a category —',
  'report.categoriesFailed': 'The categories could not be loaded. Check your connection and open the form again.',
  'report.description': 'What is the problem?',
  'report.descriptionHint': 'What is happening, since when, who it affects (at least 5 characters).',
  'report.photos': 'Photos of the place (at most {max})',
  'report.addPhotos': 'Add photos',
  'report.photoPreparing': 'Preparing the photos…',
  'report.photoRemove': 'Remove photo {index}',
  'report.photoAlt': 'Photo {index} to be sent',
  'report.photoGps': 'with a GPS position',
  'report.photoNoGps': 'without a GPS position',
  'report.photoTooMany': { one: 'At most {count} photo can be sent.', other: 'At most {count} photos can be sent.' },
  'report.photoTooLarge': 'The photo "{name}" is too large ({size}); at most {max}. Take it again or choose another one.',
  'report.photoUnsupported': '"{name}" is not a JPEG, PNG, WebP or HEIC photo. Choose another file.',
  'report.contactTitle': 'Contact (optional, never published)',
  'report.name': 'Full name',
  'report.phone': 'Phone number',
  'report.email': 'E-mail',
  'report.consent': 'The office may contact me',
  'report.send': 'Send the report',
  'report.cancel': 'Cancel',
  'report.missingCategory': 'Choose the category of the problem.',
  'report.missingDescription': 'Describe the problem (at least 5 characters).',
  'report.nearbyTitle': 'Similar reports nearby',
  'report.nearbyIntro': 'If it is the same problem, follow that report instead of sending another one.',
  'report.nearbyDistance': '{distance} away',
  'report.follow': 'Follow this report',
  'report.following': 'You follow report {code}. It is in “My reports”.',
  'report.sentTitle': 'Report sent',
  'report.trackingCode': 'Tracking code',
  'report.sentDetail': '{office} will handle it, due {due}.',
  'report.keepCode': 'The code is saved in “My reports” on this device. Write it down to look it up elsewhere.',
  'report.queuedTitle': 'The report is saved on this device',
  'report.failedTitle': 'The report could not be sent',
  'report.retry': 'Try again',
  'report.discard': 'Delete the unsent report',
  'report.viewDetail': 'See the details',
  'report.newReport': 'Send another report',

  'queue.waiting': 'No connection. The report will be sent automatically when the connection returns — no need to send it again.',
  'queue.retrying': 'Not sent yet (attempt {attempt}). Trying again at {time}.',
  'queue.sending': 'Sending… {percent}%',
  'queue.sent': 'Sent — tracking code {code}',
  'queue.sentLater': 'Your report waiting since {time} has been sent — tracking code {code}.',
  'status.dismiss': 'Dismiss message',
  'citizen.copyCoordinates': 'Copy coordinates',
  'citizen.coordinatesCopied': 'Coordinates copied: {value}.',
  'queue.failed': 'Could not be sent: {message}',
  'queue.failedHint': 'Correct it and send it as a new report, or delete it.',

  'mine.title': 'My reports',
  'mine.empty': 'You have not sent or followed any report on this device.',
  'mine.reporter': 'Sent by you',
  'mine.follower': 'Followed by you',
  'mine.pending': 'Not sent yet',
  'mine.lookupLabel': 'Look up a tracking code (e.g. DB-7K3M9Q)',
  'mine.lookupButton': 'Look up',
  'mine.lookupInvalid': 'A tracking code looks like DB-7K3M9Q.',
  'mine.back': 'Back',

  'detail.title': 'Report {code}',
  'detail.loading': 'Loading the report…',
  'detail.status': 'Status',
  'detail.category': 'Category',
  'detail.commune': 'Commune or ward',
  'detail.office': 'Office',
  'detail.createdAt': 'Sent',
  'detail.dueAt': 'Due',
  'detail.overdue': 'Overdue',
  'detail.description': 'Description',
  'detail.answer': 'The office’s answer',
  'detail.rejection': 'Reason for rejection',
  'detail.photos': 'Photos',
  'detail.photoAlt': 'Photo {index} of report {code}',
  'detail.timeline': 'What happened',
  'detail.followers': { one: '{count} follower', other: '{count} followers' },
  'detail.rateTitle': 'Are you satisfied with the result?',
  'detail.satisfied': 'Satisfied',
  'detail.notSatisfied': 'Not satisfied',
  'detail.ratingComment': 'Comment (optional)',
  'detail.rated': 'The reporter’s rating: {rating}',
  'detail.ratingSaved': 'Thank you for your rating.',
  'detail.reopened': 'The report was reopened and sent back to the office.',
  'detail.infoTitle': 'The office asks you for more information',
  'detail.infoNote': 'More information',
  'detail.infoSend': 'Send the information',
  'detail.infoSent': 'The information was sent.',
  'detail.close': 'Close',
  'detail.notSaved': 'This report was not sent from this device, so it cannot be rated here.',

  'ioc.loginTitle': 'Operator sign-in',
  'ioc.email': 'E-mail',
  'ioc.password': 'Password',
  'ioc.login': 'Sign in',
  'ioc.loggingIn': 'Signing in…',
  'ioc.logout': 'Sign out',
  'ioc.signedInAs': 'Signed in: {name}',
  'ioc.notOperator': 'The account {name} may not use the operations view. Sign in with an IOC operator account.',
  'ioc.liveTitle': 'New reports (live)',
  'ioc.liveConnected': 'Receiving new reports live.',
  'ioc.liveReconnecting': 'The live feed was interrupted; reconnecting…',
  'ioc.liveEmpty': 'No new report since this page opened.',
  'ioc.liveAnnounce': 'New report {code}: {category}, {commune}',
  'ioc.showOnMap': 'Show {code} on the map',
  'ioc.layers': 'Operations layers',
  'ioc.layerDensity': 'Report density (hexagons)',
  'ioc.layerOnTime': 'On-time rate by commune',
  'ioc.layerLive': 'New reports, live',
  'ioc.legendOnTime': 'Red: few on time · green: most on time · grey: no figures yet',
  'ioc.statsTitle': 'Statistics since the start of the year',
  'ioc.groupBy': 'Group by',
  'ioc.byCommune': 'Commune',
  'ioc.byOffice': 'Office',
  'ioc.byCategory': 'Category',
  'ioc.totals': '{received} received · {open} open · {overdue} overdue · on time {onTime} · satisfied {satisfaction}',
  'ioc.chartLabel': 'Chart of reports by {group}',
  'ioc.received': 'Received',
  'ioc.overdue': 'Overdue',
  'ioc.onTime': 'On time',
  'ioc.medianResolve': 'Median time to resolve',
  'ioc.noRate': 'n/a',
  'ioc.hours': '{value} h',
  'ioc.overdueTitle': 'Overdue reports',
  'ioc.overdueEmpty': 'No overdue report.',
  'ioc.overdueItem': '{code} · {category} · {office}',
  'ioc.statsFailed': 'The statistics could not be loaded.',
  'ioc.dataFailed': 'The operations map data could not be loaded.',
  'ioc.hexagonTooltip': { one: '{count} report in this cell', other: '{count} reports in this cell' },
  'ioc.communeTooltip': '{name}: on time {rate}',

  'camera.status.online': 'Online',
  'camera.status.degraded': 'Degraded',
  'camera.status.offline': 'Offline',
  'camera.status.maintenance': 'Under maintenance',
  'camera.health': 'Health: {status}',
  'camera.lastSeen': 'Last signal: {time}',
  'camera.restricted': 'Restricted camera (IOC staff only)',
  'camera.owner': 'Run by {owner}',
  'camera.close': 'Close the camera',
  'camera.listFailed': 'The list of cameras could not be loaded.',
  'camera.openFailed': 'The camera player could not be opened. Check your connection and try again.',
  'camera.addToWall': 'Add to the video wall',
  'camera.addedToWall': '{name} is now on the video wall.',
  'camera.alreadyOnWall': '{name} is already on the video wall.',
  'camera.wallFull': 'All {tiles} tiles of the video wall are in use. Take a camera off the wall first.',

  'player.videoLabel': 'Picture of camera {name}',
  'player.state.connecting': 'Connecting…',
  'player.state.live': 'Live',
  'player.state.replay': 'Replay',
  'player.state.reconnecting': 'Reconnecting…',
  'player.state.offline': 'Offline',
  'player.state.paused': 'Paused',
  'player.state.denied': 'Not allowed',
  'player.state.failed': 'Cannot play',
  'player.delay': '{seconds} s behind',
  'player.delayLabel': 'The picture is {seconds} seconds behind real time',
  'player.replayFrom': 'Replaying from {time}.',
  'player.backToLive': 'Back to live',
  'player.retryIn': 'Trying again in {seconds} s.',
  'player.problem.network': 'The connection to the video stream was lost.',
  'player.problem.unreachable': 'The camera is not answering.',
  'player.problem.media': 'The picture could not be decoded; recovering.',
  'player.problem.stalled': 'The picture has stopped; waiting for data…',
  'player.problem.frozen': 'The picture stood still for {seconds} s: reloading the stream.',
  'player.problem.error': 'The player ran into an error; restarting it.',
  'player.signInRequired': 'This camera is for operations centre (IOC) staff only. Sign in from the Operations view.',
  'player.forbidden': 'The signed-in account may not watch this camera. Sign in with an IOC operator account.',
  'player.signIn': 'IOC sign-in',
  'player.notFound': 'This camera was not found (it may have been removed).',
  'player.outOfWindow': 'The camera’s recording no longer covers that time (it keeps the last {minutes} minutes).',
  'player.outOfWindowUnknown': 'The camera’s recording no longer covers that time.',
  'player.unsupported': 'This browser cannot play live video (HLS). Please use another browser.',
  'player.failed': 'This camera cannot be played.',

  'wall.title': 'Video wall',
  'wall.open': 'Open the video wall',
  'wall.backToMap': 'Back to the operations map',
  'wall.layout': 'Layout',
  'wall.layout4': '4 tiles (2×2)',
  'wall.layout9': '9 tiles (3×3)',
  'wall.cameras': 'Cameras',
  'wall.camerasHint': 'Choose a camera to put it in a free tile; on the operations map, click a camera and choose “Add to the video wall”.',
  'wall.loading': 'Loading the cameras…',
  'wall.none': 'No cameras yet.',
  'wall.add': 'Put {name} in a free tile',
  'wall.remove': 'Take {name} off the wall',
  'wall.onWall': 'on the wall',
  'wall.emptyTile': 'Empty tile: choose a camera from the list.',
  'wall.tileLabel': 'Tile {index}: {name}',
  'wall.full': 'Every tile is in use. Take a camera off or choose the 9-tile layout.',
  'wall.statusChanged': 'Camera {name}: {status}',

  'ioc.layerCameras': 'Cameras (live health)',
  'ioc.reportTitle': 'Report {code}',
  'ioc.reportClose': 'Close the report details',
  'ioc.reportSent': 'Sent',
  'ioc.reportCategory': 'Category',
  'ioc.reportStatus': 'Status',
  'ioc.reportPlace': 'Commune',
  'ioc.reportOffice': 'Handled by',
  'ioc.showDetails': 'Details of report {code}',

  'seeing.title': 'Cameras that see this place',
  'seeing.loading': 'Looking for cameras…',
  'seeing.none': 'No camera sees this place.',
  'seeing.distance': '{distance} away',
  'seeing.watchLive': 'Watch live',
  'seeing.watchLiveLabel': 'Watch camera {name} live',
  'seeing.replay': 'Replay from the report’s time',
  'seeing.replayLabel': 'Replay camera {name} from the time of the report',
  'seeing.tooOld': 'The recording no longer covers the time of the report (the camera keeps the last {minutes} minutes).',

  'heritage.title': 'Historic sites',
  'heritage.intro': 'Choose a site for its narrated 3D tour. Where a site has a model, zoom in and tilt the map to see it standing in place.',
  'heritage.loading': 'Loading the sites…',
  'heritage.loadFailed': 'The list of sites could not be loaded. Check your connection, then reload the page.',
  'heritage.tour3d': { one: '3D tour · {count} stop', other: '3D tour · {count} stops' },
  'heritage.stopsOnly': { one: 'Narration · {count} stop', other: 'Narration · {count} stops' },
  'heritage.noTour': 'No tour yet',
  'heritage.showOnMap': 'See the model on the map',
  'heritage.showOnMapLabel': 'See the model of {name} on the map',
  'heritage.openTour': 'Open the 3D tour: {name}',
  'heritage.openSite': 'About this site: {name}',
  'pick.title': 'Here',
  'pick.report': 'Report',
  'pick.openReport': 'View report {code}',
  'pick.reportNew': 'Report a new problem here',
  'pick.heritage': 'Heritage site',
  'pick.facility': 'Emergency facility',
  'pick.watchCamera': 'Watch the camera',
  'pick.call': 'Call {phone}',
  'pick.zone': 'Planning zone {code}',
  'pick.zoneFloors': 'Up to {floors} storeys',
  'pick.zoneDetails': 'Planning details',
  'map.offlineWaiting': 'You are offline: the map will load by itself when the connection returns.',
  'map.recovered': 'Back online: the map has loaded again.',

  'tour.pageTitle': '{name} · 3D tour',
  'tour.back': 'All sites',
  'tour.loadingSite': 'Loading the tour…',
  'tour.siteNotFound': 'There is no site with the code {code}. Go back to the list of sites to choose another.',
  'tour.loadingModel': 'Loading the 3D model… {percent}',
  'tour.noWebgl': 'This browser cannot show the 3D model (it needs WebGL). Turn on hardware acceleration or try another browser; the narration below still works.',
  'tour.tilesetFailed': 'The 3D model of this site could not be loaded. Check your connection, then press Try again; the narration below still works.',
  'tour.retry': 'Try again',
  'tour.noModel': 'This site has no 3D model yet; the narration still works.',
  'tour.illustrative': 'Illustrative reconstruction, not a survey',
  'tour.canvasLabel': '3D model: {name}. Drag to turn, pinch or scroll to zoom, arrow keys to move.',
  'tour.controlsHint': 'Drag to turn · pinch or scroll to zoom · two-finger drag to move',
  'tour.stopCounter': 'Stop {index} of {count}',
  'tour.previous': 'Previous',
  'tour.next': 'Next',
  'tour.autoplay': 'Autoplay',
  'tour.pause': 'Pause',
  'tour.readAloud': 'Read aloud',
  'tour.stopReading': 'Stop reading',
  'tour.noStops': 'This site’s tour has no stops yet.',
  'tour.info': 'About the site',
  'tour.rank': 'Rank',
  'tour.openingHours': 'Opening hours',
  'tour.hoursUnknown': 'Not known',
  'tour.saveOffline': 'Save for offline',
  'tour.saveAgain': 'Save the new version',
  'tour.saving': 'Saving… {done} / {total}',
  'tour.saved': 'Saved for offline ({size}). The tour opens with no connection too.',
  'tour.savedOutdated': 'The saved copy is an older model; save again for the new one.',
  'tour.saveFailed': 'The tour could not be saved for offline. Check your connection and try again.',
  'tour.saveUnsupported': 'This browser cannot save the tour for offline use.',
  'tour.removeSaved': 'Delete the saved copy',
  'tour.offline': 'You are offline: the tour uses the copy saved on this device.',
  'tour.offlineUnsaved': 'You are offline: parts of the model not yet loaded will show when the connection returns.',

  'error.network': 'The server could not be reached. Check your connection and try again.',
  'error.generic': 'Something went wrong. Please try again.',

  'units.metres': '{value} m',
  'units.kilometres': '{value} km',
  'units.squareMetres': '{value} m²',
  'units.hectares': '{value} ha',
  'units.squareKilometres': '{value} km²',
} as const satisfies Record<MessageKey, string | { one: string; other: string }>; // English's plural categories: one, other

export const messages: Readonly<Record<Language, Readonly<Record<MessageKey, Message>>>> = { vi, en };

/** The keys whose messages count something: `t` wants a numeric `count` with them. */
type PluralKey = { [Key in MessageKey]: (typeof en)[Key] extends string ? never : Key }[MessageKey];
/**
 * A parameter whose text depends on the language: a moment, a number, another message, or a name the
 * API gives in both languages. `t()` formats it for the language asked; kept in `data-i18n-params`, it
 * is formatted again when the language changes (so "due 14:05, 28/11/2026" becomes "due 14:05, 28 Nov 2026").
 */
export type LanguageParameter =
  | { readonly $: 'dateTime'; readonly value: string }
  | { readonly $: 'date'; readonly value: string }
  | { readonly $: 'number'; readonly value: number; readonly digits?: number }
  | { readonly $: 'message'; readonly key: string; readonly params?: Readonly<Record<string, ParameterValue>> }
  | { readonly $: 'localized'; readonly vi: string; readonly en: string };
export type ParameterValue = string | number | LanguageParameter;
type MessageParameters = Readonly<Record<string, ParameterValue>>;
type MessageArguments<Key extends MessageKey> = Key extends PluralKey
  ? [parameters: MessageParameters & { readonly count: number }, language?: Language]
  : [parameters?: MessageParameters, language?: Language];

const storageKey = 'bandoso.language';
let current: Language = 'vi';
const listeners = new Set<(language: Language) => void>();

/** The language saved on this device, else Vietnamese (the URL `?lang=en` wins, for shared links). */
export function initialLanguage(search: string = globalThis.location?.search ?? '', storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): Language {
  const fromUrl = new URLSearchParams(search).get('lang');
  if (fromUrl === 'vi' || fromUrl === 'en') return fromUrl;
  const saved = storage?.getItem(storageKey);
  return saved === 'en' ? 'en' : 'vi';
}

export function getLanguage(): Language {
  return current;
}

export function setLanguage(language: Language): void {
  if (language === current) return;
  current = language;
  safeStorage()?.setItem(storageKey, language);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = language;
    document.title = t('app.title');
    translateDom(document.body);
  }
  for (const listener of listeners) listener(language);
}

/** Sets the language without notifying (start-up). */
export function useLanguage(language: Language): void {
  current = language;
  if (typeof document !== 'undefined') {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }
}

export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function t<Key extends MessageKey>(key: Key, ...[parameters = {}, language = current]: MessageArguments<Key>): string {
  const message = messages[language][key];
  const template = typeof message === 'string' ? message : (message[pluralRules(language).select(Number(parameters.count))] ?? message.other);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in parameters ? parameterText(parameters[name]!, language) : (pointerWord(name, language) ?? whole)));
}

/**
 * `{tap}` / `{Tap}` in an instruction: "chạm"/"tap" on a touch screen, "nhấp"/"click" with a mouse
 * (the device's main pointer), so a desktop is not told to tap.
 */
const pointerWords: Readonly<Record<Language, { touch: string; mouse: string }>> = { vi: { touch: 'chạm', mouse: 'nhấp' }, en: { touch: 'tap', mouse: 'click' } };
export function usesTouch(): boolean {
  return globalThis.matchMedia?.('(pointer: coarse)').matches ?? false;
}
function pointerWord(name: string, language: Language): string | undefined {
  if (name !== 'tap' && name !== 'Tap') return undefined;
  const word = pointerWords[language][usesTouch() ? 'touch' : 'mouse'];
  return name === 'Tap' ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

function parameterText(value: ParameterValue, language: Language): string {
  if (typeof value !== 'object') return String(value);
  switch (value.$) {
    case 'dateTime':
      return formatDateTime(value.value, language);
    case 'date':
      return formatDate(value.value, language);
    case 'number':
      return formatNumber(value.value, value.digits ?? 1, language);
    case 'message':
      return isMessageKey(value.key) ? (t as (key: MessageKey, parameters: MessageParameters, language: Language) => string)(value.key, value.params ?? {}, language) : value.key;
    case 'localized':
      return language === 'en' ? value.en || value.vi : value.vi;
  }
}

/** A moment in the language on screen (Vietnam time). */
export const asDateTime = (iso: string): LanguageParameter => ({ $: 'dateTime', value: iso });
/** A calendar date (YYYY-MM-DD) in the language on screen. */
export const asDate = (isoDate: string): LanguageParameter => ({ $: 'date', value: isoDate });
/** A number with the language's separators (1.234,5 / 1,234.5). */
export const asNumber = (value: number, digits?: number): LanguageParameter => (digits === undefined ? { $: 'number', value } : { $: 'number', value, digits });
/** Another message, translated with the rest. */
export const asMessage = (key: MessageKey, params?: Readonly<Record<string, ParameterValue>>): LanguageParameter => (params ? { $: 'message', key, params } : { $: 'message', key });
/** A name the platform holds in both languages (a category, an office); English falls back to Vietnamese. */
export const asLocalized = (text: { vi: string; en?: string | null }): LanguageParameter => ({ $: 'localized', vi: text.vi, en: text.en ?? '' });

/**
 * Attributes that mark an element whose whole text is one message, for `h()`: `translateDom` (run by
 * `setLanguage` over the whole page) fills it again in the new language, whoever rendered it.
 */
export function i18nAttributes(key: MessageKey, params?: MessageParameters): Record<string, string> {
  return params && Object.keys(params).length > 0 ? { 'data-i18n': key, 'data-i18n-params': JSON.stringify(params) } : { 'data-i18n': key };
}

/** An element showing one message, re-translated when the language changes. */
export function msg<Tag extends keyof HTMLElementTagNameMap = 'span'>(key: MessageKey, params?: MessageParameters, tag?: Tag): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag ?? 'span') as HTMLElementTagNameMap[Tag];
  for (const [name, value] of Object.entries(i18nAttributes(key, params))) element.setAttribute(name, value);
  element.textContent = (t as (key: MessageKey, parameters: MessageParameters) => string)(key, params ?? {});
  return element;
}

/** An element showing a name the platform holds in both languages, re-filled when the language changes. */
export function localized<Tag extends keyof HTMLElementTagNameMap = 'span'>(text: { vi: string; en?: string | null }, tag?: Tag): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag ?? 'span') as HTMLElementTagNameMap[Tag];
  element.dataset.i18nVi = text.vi;
  element.dataset.i18nEn = text.en || text.vi;
  element.textContent = current === 'en' ? element.dataset.i18nEn : text.vi;
  return element;
}

const pluralRulesByLanguage = new Map<Language, Intl.PluralRules>();
function pluralRules(language: Language): Intl.PluralRules {
  let rules = pluralRulesByLanguage.get(language);
  if (!rules) pluralRulesByLanguage.set(language, (rules = new Intl.PluralRules(language)));
  return rules;
}

/** Whether a string is a message key (for keys built from data, e.g. `landUse.${code}`). */
export function isMessageKey(key: string): key is MessageKey {
  return key in vi;
}

/**
 * Fills elements marked with `data-i18n` (text), `data-i18n-label` (aria-label) and
 * `data-i18n-title` (title) under `root`; called again when the language changes.
 */
export function translateDom(root: ParentNode): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = element.dataset.i18n;
    if (key && isMessageKey(key)) element.textContent = t(key, readParameters(element));
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
    const key = element.dataset.i18nLabel;
    if (key && isMessageKey(key)) element.setAttribute('aria-label', t(key, readParameters(element)));
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-title]')) {
    const key = element.dataset.i18nTitle;
    if (key && isMessageKey(key)) element.title = t(key, readParameters(element));
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-vi]')) {
    element.textContent = current === 'en' ? (element.dataset.i18nEn ?? element.dataset.i18nVi ?? '') : (element.dataset.i18nVi ?? '');
  }
}

function readParameters(element: HTMLElement): Record<string, ParameterValue> {
  const raw = element.dataset.i18nParams;
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, ParameterValue>;
  } catch {
    return {};
  }
}

/**
 * A position people can read in either language and paste anywhere: degrees with the hemisphere, in the
 * language's decimal separator ("21,3846° B, 103,0205° Đ" / "21.3846° N, 103.0205° E"); `plain` is the
 * form for copying (decimal point, latitude first: what map apps accept).
 */
export function formatCoordinates([lng, lat]: readonly [number, number], language: Language = current): { text: string; plain: string } {
  const hemisphere = (value: number, positive: string, negative: string) => `${formatNumber(Math.abs(value), 4, language, 4)}° ${value >= 0 ? positive : negative}`;
  const [north, south, east, west] = language === 'vi' ? ['B', 'N', 'Đ', 'T'] : ['N', 'S', 'E', 'W'];
  return { text: `${hemisphere(lat, north!, south!)}, ${hemisphere(lng, east!, west!)}`, plain: `${lat.toFixed(6)}, ${lng.toFixed(6)}` };
}

/** Numbers the way each language writes them (1.234,5 in Vietnamese). */
export function formatNumber(value: number, maximumFractionDigits = 1, language: Language = current, minimumFractionDigits = 0): string {
  return new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits, minimumFractionDigits }).format(value);
}

export function formatDistance(metres: number, language: Language = current): string {
  if (metres < 1000) return t('units.metres', { value: formatNumber(Math.round(metres), 0, language) }, language);
  const digits = metres < 10_000 ? 1 : 0;
  return t('units.kilometres', { value: formatNumber(metres / 1000, digits, language, digits) }, language);
}

export function formatArea(squareMetres: number, language: Language = current): string {
  if (squareMetres < 10_000) return t('units.squareMetres', { value: formatNumber(Math.round(squareMetres), 0, language) }, language);
  if (squareMetres < 1_000_000) return t('units.hectares', { value: formatNumber(squareMetres / 10_000, 2, language) }, language);
  return t('units.squareKilometres', { value: formatNumber(squareMetres / 1_000_000, 2, language) }, language);
}

/** Dates as people in each language read them: 28/11/2016 or 28 Nov 2016. */
export function formatDate(isoDate: string, language: Language = current): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return new Intl.DateTimeFormat(language === 'vi' ? 'vi-VN' : 'en-GB', { day: '2-digit', month: language === 'vi' ? '2-digit' : 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** A moment as people in Điện Biên read it (Vietnam time, whatever the device's zone): 14:05, 28/11/2026. */
export function formatDateTime(iso: string, language: Language = current): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'vi' ? 'vi-VN' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: language === 'vi' ? '2-digit' : 'short',
    year: 'numeric',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(date);
}

/** File sizes: 850 kB, 3,2 MB. */
export function formatBytes(bytes: number, language: Language = current): string {
  if (bytes < 1024 * 1024) return `${formatNumber(Math.max(1, Math.round(bytes / 1024)), 0, language)} kB`;
  return `${formatNumber(bytes / 1024 / 1024, 1, language)} MB`;
}

/** A share as a percentage: 87 %. */
export function formatPercent(ratio: number, language: Language = current): string {
  return `${formatNumber(ratio * 100, 0, language)} %`;
}

/**
 * Every string the map shows people, in Vietnamese (the default) and English. One place, so a
 * translator reads one file and a test can prove both languages have every key.
 *
 * `{name}` placeholders are filled by `t(key, { name })`.
 */
const vi = {
  'app.title': 'Bản đồ số Điện Biên',
  'app.skipToMap': 'Bỏ qua, đến bản đồ',
  'app.loading': 'Đang tải bản đồ…',
  'app.offline': 'Bạn đang ngoại tuyến. Bản đồ dùng dữ liệu đã lưu.',
  'app.backOnline': 'Đã có kết nối trở lại.',
  'app.installed': 'Bản đồ đã sẵn sàng dùng khi không có mạng.',

  'nav.views': 'Chế độ xem',
  'view.citizen': 'Người dân',
  'view.planning': 'Quy hoạch',
  'view.ioc': 'Điều hành',

  'language.toggle': 'EN',
  'language.toggleLabel': 'Switch to English',

  'map.label': 'Bản đồ tỉnh Điện Biên',
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

  'legend.title': 'Chú giải',
  'legend.province': 'Ranh giới tỉnh',
  'legend.commune': 'Ranh giới xã, phường',
  'legend.outside': 'Ngoài tỉnh',
  'legend.heritage.special_national': 'Di tích quốc gia đặc biệt',
  'legend.heritage.national': 'Di tích quốc gia',
  'legend.heritage.provincial': 'Di tích cấp tỉnh',
  'legend.camera.online': 'Camera đang hoạt động',
  'legend.camera.offline': 'Camera mất tín hiệu, bảo trì',
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

  'citizen.hint': 'Chạm vào bản đồ để xem nơi đó thuộc xã, phường nào.',
  'citizen.locating': 'Đang xác định xã, phường…',
  'citizen.placeTitle': 'Vị trí đã chọn',
  'citizen.commune': 'Xã, phường',
  'citizen.province': 'Tỉnh',
  'citizen.onBorder': 'Nằm trên ranh giới với: {names}',
  'citizen.reportSoon': 'Gửi phản ánh tại vị trí này: sắp có.',
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
  'planning.hint': 'Chạm vào một ô quy hoạch để xem chỉ tiêu áp dụng tại đó.',
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
  'measure.hintDistance': 'Chạm các điểm trên bản đồ (hoặc dùng nút “Thêm điểm ở tâm bản đồ”).',
  'measure.hintArea': 'Chạm ít nhất 3 điểm để khép vùng cần đo.',
  'measure.resultDistance': 'Chiều dài: {value}',
  'measure.resultArea': 'Diện tích: {value}',
  'measure.points': '{count} điểm',

  'ioc.title': 'Trung tâm điều hành (IOC)',
  'ioc.loginRequired': 'Chế độ điều hành dành cho cán bộ IOC đã đăng nhập. Phản ánh mới theo thời gian thực, mật độ và thống kê sẽ hiển thị ở đây.',
  'ioc.loading': 'Đang tải công cụ điều hành…',
  'ioc.ready': 'Lớp điều hành đã sẵn sàng.',

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

const en: Record<MessageKey, string> = {
  'app.title': 'Điện Biên digital map',
  'app.skipToMap': 'Skip to the map',
  'app.loading': 'Loading the map…',
  'app.offline': 'You are offline. The map uses saved data.',
  'app.backOnline': 'Back online.',
  'app.installed': 'The map is ready to use without a connection.',

  'nav.views': 'Views',
  'view.citizen': 'Citizens',
  'view.planning': 'Planning',
  'view.ioc': 'Operations',

  'language.toggle': 'VI',
  'language.toggleLabel': 'Chuyển sang tiếng Việt',

  'map.label': 'Map of Điện Biên province',
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

  'legend.title': 'Legend',
  'legend.province': 'Province boundary',
  'legend.commune': 'Commune and ward boundary',
  'legend.outside': 'Outside the province',
  'legend.heritage.special_national': 'Special national site',
  'legend.heritage.national': 'National site',
  'legend.heritage.provincial': 'Provincial site',
  'legend.camera.online': 'Camera online',
  'legend.camera.offline': 'Camera offline or in maintenance',
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

  'citizen.hint': 'Tap the map to see which commune or ward a place belongs to.',
  'citizen.locating': 'Finding the commune…',
  'citizen.placeTitle': 'Selected place',
  'citizen.commune': 'Commune or ward',
  'citizen.province': 'Province',
  'citizen.onBorder': 'On the boundary with: {names}',
  'citizen.reportSoon': 'Sending a report from this place: coming soon.',
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
  'planning.changesSummary': '{count} zones changed since version {version}.',
  'planning.noChanges': 'No changes since version {version}.',
  'planning.hint': 'Tap a planning zone to see what applies there.',
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
  'planning.unitFloors': '{value} floors',
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
  'measure.hintDistance': 'Tap points on the map (or use “Add a point at the map centre”).',
  'measure.hintArea': 'Tap at least 3 points to close the area.',
  'measure.resultDistance': 'Length: {value}',
  'measure.resultArea': 'Area: {value}',
  'measure.points': '{count} points',

  'ioc.title': 'Operations centre (IOC)',
  'ioc.loginRequired': 'The operations view is for signed-in IOC operators. Live reports, density and statistics will show here.',
  'ioc.loading': 'Loading the operations tools…',
  'ioc.ready': 'The operations layer is ready.',

  'error.network': 'The server could not be reached. Check your connection and try again.',
  'error.generic': 'Something went wrong. Please try again.',

  'units.metres': '{value} m',
  'units.kilometres': '{value} km',
  'units.squareMetres': '{value} m²',
  'units.hectares': '{value} ha',
  'units.squareKilometres': '{value} km²',
};

export const messages: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { vi, en };

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

export function t(key: MessageKey, parameters: Record<string, string | number> = {}, language: Language = current): string {
  const template = messages[language][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in parameters ? String(parameters[name]) : whole));
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
}

function readParameters(element: HTMLElement): Record<string, string> {
  const raw = element.dataset.i18nParams;
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, string>;
  } catch {
    return {};
  }
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

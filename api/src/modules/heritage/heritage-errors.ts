import type { DatabaseExecutor } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import * as repository from './heritage.repository.ts';

/** 404 for a site code that does not exist, showing what codes look like. */
export async function unknownSiteError(db: DatabaseExecutor, code: string): Promise<AppError> {
  const known = await repository.listSiteCodes(db, 30);
  if (known.length === 0) {
    return new AppError('NOT_FOUND', `No heritage site has the code ${code}: there are no heritage sites yet. Import them first: npm run import -- heritage-sites <file>.`, {
      vi: `Không có di tích nào mang mã ${code}: chưa có di tích nào trong cơ sở dữ liệu. Hãy nhập trước: npm run import -- heritage-sites <tệp>.`,
    });
  }
  return new AppError('NOT_FOUND', `No heritage site has the code ${code}. Site codes look like ${known.slice(0, 5).join(', ')}; GET /api/heritage lists them all.`, {
    vi: `Không có di tích nào mang mã ${code}. Mã di tích có dạng ${known.slice(0, 5).join(', ')}; xem danh sách đầy đủ tại GET /api/heritage.`,
  });
}

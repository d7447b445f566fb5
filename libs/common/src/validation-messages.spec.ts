import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { ArrayMinSize, IsEmail, IsIn, IsInt, IsString, Matches, MaxLength, Min, MinLength, validateSync, ValidateNested } from 'class-validator';
import { validationMessages } from './validation-messages';

class Child {
  @IsInt() @Min(1) sectionId: number;
}

class Sample {
  @IsEmail() email: string;
  @IsString() @MinLength(8) @MaxLength(200) password: string;
  @IsIn(['staff', 'chief']) role: string;
  @Matches(/^[a-z]+$/, { message: 'code は半角英小文字で入力してください' }) code: string;
  @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => Child) sections: Child[];
}

const messagesOf = (plain: object) => validationMessages(validateSync(plainToInstance(Sample, plain), { whitelist: true, forbidNonWhitelisted: true }));

describe('validationMessages', () => {
  it('says in Japanese what is wrong with each field, naming it', () => {
    const messages = messagesOf({ email: 'x', password: 'short', role: 'boss', code: 'ABC', sections: [{ sectionId: 0 }], extra: 1 });
    expect(messages).toEqual(
      expect.arrayContaining([
        { field: 'email', message: 'email: メールアドレスの形式で入力してください' },
        { field: 'password', message: 'password: 8文字以上で入力してください' },
        { field: 'role', message: 'role: 次のいずれかを指定してください: staff, chief' },
        { field: 'code', message: 'code: code は半角英小文字で入力してください' },
        { field: 'sections.0.sectionId', message: 'sections.0.sectionId: 1以上の値を入力してください' },
        { field: 'extra', message: 'extra: この項目は受け付けていません(項目名を確認してください)' },
      ]),
    );
  });

  it('reports nothing for a valid object', () => {
    expect(messagesOf({ email: 'a@example.jp', password: 'long-enough', role: 'staff', code: 'abc', sections: [{ sectionId: 1 }] })).toEqual([]);
  });
});

import SoeLanguage

/// Danish CVR numbers: eight digits, no leading zero, and a modulus-11 check over the weights
/// 2, 7, 6, 5, 4, 3, 2, 1 (Erhvervsstyrelsen). A number that fails the check is bad input, not a firm.
public enum CVR {
    static let weights = [2, 7, 6, 5, 4, 3, 2, 1]

    /// The CVR number as eight digits, or the reason it is not one.
    public static func validate(_ text: String) -> Result<String, CellError> {
        let digits = text.trimmingSpaces().filter { $0 != " " }
        let bytes = Array(digits.utf8)
        guard bytes.count == 8, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            // `DK13748136`: the VAT number's country prefix before the CVR number.
            let rest = String(digits.dropFirst(2))
            if digits.uppercased().hasPrefix("DK"), rest.utf8.count == 8, rest.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                return .failure(
                    CellError(
                        "a CVR number has eight digits, found \"\(text)\": leave out the country prefix DK, which the VAT number has; write \(rest)",
                        da: "et CVR-nummer har otte cifre, fandt \"\(text)\": udelad landepræfikset DK, som momsnummeret har; skriv \(rest)"
                    ))
            }
            // `13.748.136`: a column formatted as a number with thousands points.
            let unmarked = digits.filter { $0 != "." && $0 != "\u{00A0}" && $0 != "\u{202F}" }
            if unmarked != digits, unmarked.utf8.count == 8, unmarked.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                return .failure(
                    CellError(
                        "a CVR number has eight digits, found \"\(text)\": a number format put marks between them; write \(unmarked), and format the column as text",
                        da:
                            "et CVR-nummer har otte cifre, fandt \"\(text)\": et talformat har sat tegn imellem dem; skriv \(unmarked), og formatér kolonnen som tekst"
                    ))
            }
            // `1,37E+07`: a column too narrow for the number, exported as shown; the digits are lost.
            if digits.uppercased().contains("E+") {
                return .failure(
                    CellError(
                        "a CVR number has eight digits, found \"\(text)\": the spreadsheet showed the number with an exponent and its digits are lost; format the column as text and export it again",
                        da:
                            "et CVR-nummer har otte cifre, fandt \"\(text)\": regnearket viste tallet med eksponent, og cifrene er tabt; formatér kolonnen som tekst, og eksportér igen"
                    ))
            }
            return .failure(
                CellError("a CVR number has eight digits, found \"\(text)\"", da: "et CVR-nummer har otte cifre, fandt \"\(text)\""))
        }
        guard bytes[0] != UInt8(ascii: "0") else {
            return .failure(
                CellError(
                    "a CVR number does not start with 0, found \"\(text)\"", da: "et CVR-nummer begynder ikke med 0, fandt \"\(text)\""))
        }
        var sum = 0
        for (index, byte) in bytes.enumerated() { sum += Int(byte - 0x30) * weights[index] }
        guard sum % 11 == 0 else {
            return .failure(
                CellError(
                    "\(digits) is not a valid CVR number: the check digit does not match (modulus 11)",
                    da: "\(digits) er ikke et gyldigt CVR-nummer: kontrolcifferet passer ikke (modulus 11)"))
        }
        return .success(digits)
    }
}

namespace Modular.Modules.Catalog;

/// <summary>Active ISO 4217 currencies (funds, metals and test codes excluded) and their minor-unit digits.</summary>
internal static class Currencies
{
    private const string TwoDigits =
        "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF " +
        "CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG " +
        "HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR " +
        "MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD " +
        "SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG " +
        "YER ZAR ZMW ZWG";

    private const string NoDigits = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
    private const string ThreeDigits = "BHD IQD JOD KWD LYD OMR TND";
    private const string FourDigits = "CLF UYW";

    private static readonly Dictionary<string, int> MinorDigits = Load();

    public static bool IsKnown(string code) => MinorDigits.ContainsKey(code);

    /// <summary>How many decimal places an amount in <paramref name="code"/> may have (2 for EUR, 0 for JPY).</summary>
    public static int MinorUnitDigits(string code) => MinorDigits[code];

    private static Dictionary<string, int> Load()
    {
        var digits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (codes, places) in new[] { (TwoDigits, 2), (NoDigits, 0), (ThreeDigits, 3), (FourDigits, 4) })
        {
            foreach (var code in codes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                digits.Add(code, places);
        }

        return digits;
    }
}

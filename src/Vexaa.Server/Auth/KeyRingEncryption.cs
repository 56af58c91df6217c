using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Vexaa.Server.Auth;

/// <summary>
/// The key that encrypts the data-protection key ring at rest in the database (<see cref="DatabaseKeyRing"/>), from the
/// setting <c>Vexaa:DataProtection:KeyRingKey</c> (32 random bytes in base64, e.g. <c>openssl rand -base64 32</c>; in
/// Kubernetes from the Secret). Without it the ring is stored as plain XML: whoever can read the database can then
/// forge sign-in cookies, but could also read every user and job, so for a database kept private that is a deliberate
/// default rather than an accident, and ASP.NET Core's "No XML encryptor configured" warning is answered by saying so.
/// </summary>
public sealed record KeyRingKey(byte[]? Bytes)
{
    public const string Setting = "Vexaa:DataProtection:KeyRingKey";

    public static KeyRingKey From(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new KeyRingKey((byte[]?)null);
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            bytes = [];
        }

        return bytes.Length == 32
            ? new KeyRingKey(bytes)
            : throw new InvalidOperationException($"The VExAA setting {Setting} must be 32 bytes in base64 (openssl rand -base64 32).");
    }

    /// <summary>Names the key without revealing it, so a ring encrypted with another key says so.</summary>
    public string Fingerprint => Bytes is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Bytes))[..16];
}

/// <summary>AES-256-GCM over each data-protection key's XML, with <see cref="KeyRingKey"/>.</summary>
public sealed class KeyRingEncryptor(KeyRingKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(key.Bytes!, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag);
        }

        var element = new XElement(
            KeyRingDecryptor.ElementName,
            new XAttribute("key", key.Fingerprint),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(cipher)));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Made by ASP.NET Core's activator (by type name, from the stored XML) with the app's services.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public const string ElementName = "vexaaEncryptedKey";

    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<KeyRingKey>();
        var fingerprint = (string?)encryptedElement.Attribute("key");
        if (key.Bytes is null || fingerprint != key.Fingerprint)
        {
            // The key is then unusable: cookies it signed stop working and a new key is made (people sign in again).
            throw new CryptographicException(
                $"A data-protection key was encrypted with the {KeyRingKey.Setting} whose fingerprint is {fingerprint}, " +
                (key.Bytes is null ? "and that setting is not set now." : $"not with the one set now ({key.Fingerprint})."));
        }

        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var cipher = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(key.Bytes, tag.Length))
        {
            aes.Decrypt(nonce, cipher, tag, plain);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}

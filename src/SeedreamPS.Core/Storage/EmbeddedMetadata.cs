using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace SeedreamPS.Core.Storage
{
    /// <summary>What Save-SeedreamImage writes into each PNG and JPEG as an XMP packet: the IPTC digital source type that
    /// marks the image as made by a trained algorithm (what publishers and platforms read to label AI images, and the
    /// machine-readable mark of the EU AI Act, Article 50(2)), the creator tool, model, gateway, task id, image index and
    /// creation time; the prompt and input columns only when asked. Never the API key or an image URL (result URLs carry
    /// signatures). Read back by <see cref="Read(string)"/>, so a file that travelled without its sidecar or journal
    /// still says what made it.</summary>
    /// <remarks>Serialised with System.Xml rather than the XmpCore package: the packet is a dozen fixed properties, which
    /// XmlWriter escapes correctly, and a second XMP library loaded into a PowerShell process can collide with the copy
    /// another module (or a test reader such as MetadataExtractor) brings; writing it ourselves ships no DLL, and
    /// keeps the readers that test it independent of the writer.</remarks>
    public sealed class EmbeddedMetadata
    {
        /// <summary>IPTC's term for media created by a model trained on sampled content (text-to-image).</summary>
        public const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

        internal const string RdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        internal const string MetaNs = "adobe:ns:meta/";
        internal const string XmpNs = "http://ns.adobe.com/xap/1.0/";
        internal const string IptcExtNs = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
        /// <summary>The namespace of the SeedreamPS-specific properties (model, gateway, task, image, columns).</summary>
        public const string SeedreamNs = "http://ns.seedreamps.org/xmp/1.0/";

        /// <summary>The IPTC digital source type (<see cref="TrainedAlgorithmicMedia"/> when SeedreamPS wrote it).</summary>
        public string DigitalSourceType { get; set; } = TrainedAlgorithmicMedia;

        /// <summary>The tool that saved the file: "SeedreamPS" and its version.</summary>
        public string CreatorTool { get; set; } = "SeedreamPS " + ImageProvenance.CurrentModuleVersion;

        /// <summary>The model id.</summary>
        public string Model { get; set; }

        /// <summary>The gateway (EvoLink, LinkModel, ModelArk).</summary>
        public string Gateway { get; set; }

        /// <summary>The task id.</summary>
        public string TaskId { get; set; }

        /// <summary>The image's position among the task's images.</summary>
        public int? ImageIndex { get; set; }

        /// <summary>When the image was made (the task's creation time).</summary>
        public DateTimeOffset? CreatedAt { get; set; }

        /// <summary>The prompt; written only when asked (Save-SeedreamImage -EmbedPrompt), since files get published.</summary>
        public string Prompt { get; set; }

        /// <summary>Input record columns to embed; empty unless asked (Save-SeedreamImage -EmbedColumn).</summary>
        public IDictionary<string, string> Columns { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The mark and what made the image, without the prompt and columns: a JPEG segment holds at most 64 KB,
        /// and the mark must fit even when a long prompt or many columns do not.</summary>
        internal EmbeddedMetadata Essential() => new EmbeddedMetadata
        {
            DigitalSourceType = DigitalSourceType, CreatorTool = CreatorTool, Model = Model, Gateway = Gateway, TaskId = TaskId,
            ImageIndex = ImageIndex, CreatedAt = CreatedAt,
        };

        // ---- Writing --------------------------------------------------------------------------------------------------

        // What we set, by namespace and name. Our own namespace and the IPTC AI properties are ours to replace; the
        // creator tool and creation date are set only where the file has none (the service's own are kept).
        private static readonly HashSet<string> Replaced = new HashSet<string>(StringComparer.Ordinal)
        {
            IptcExtNs + "DigitalSourceType", IptcExtNs + "AISystemUsed", IptcExtNs + "AISystemVersionUsed", IptcExtNs + "AIPromptInformation",
            XmpNs + "MetadataDate",
        };

        private static readonly string[] KeptIfPresent = { XmpNs + "CreatorTool", XmpNs + "CreateDate" };

        /// <summary>The complete XMP packet (UTF-8, with its xpacket wrapper), merged into <paramref name="existing"/> (a
        /// packet already in the file) when given: the other properties of that packet are kept. Null when
        /// <paramref name="existing"/> is not readable XML (the caller keeps it and adds this packet on its own).</summary>
        public byte[] ToPacket(byte[] existing = null)
        {
            XmlDocument doc = null;
            if (existing != null)
            {
                doc = Parse(existing);
                if (doc == null) return null;
            }
            var kept = new HashSet<string>(StringComparer.Ordinal);
            string about = "";
            XmlElement rdf = null;
            if (doc != null)
            {
                rdf = doc.GetElementsByTagName("RDF", RdfNs).OfType<XmlElement>().FirstOrDefault();
                if (rdf == null) return null;
                foreach (var description in rdf.ChildNodes.OfType<XmlElement>().Where(e => e.NamespaceURI == RdfNs && e.LocalName == "Description").ToList())
                {
                    about = description.GetAttribute("about", RdfNs);
                    foreach (var attribute in description.Attributes.OfType<XmlAttribute>().ToList())
                    {
                        string key = attribute.NamespaceURI + attribute.LocalName;
                        if (IsOurs(attribute.NamespaceURI, key)) description.Attributes.Remove(attribute);
                        else if (KeptIfPresent.Contains(key)) kept.Add(key);
                    }
                    foreach (var property in description.ChildNodes.OfType<XmlElement>().ToList())
                    {
                        string key = property.NamespaceURI + property.LocalName;
                        if (IsOurs(property.NamespaceURI, key)) description.RemoveChild(property);
                        else if (KeptIfPresent.Contains(key)) kept.Add(key);
                    }
                    bool empty = !description.ChildNodes.OfType<XmlElement>().Any()
                        && description.Attributes.OfType<XmlAttribute>().All(a => a.NamespaceURI == RdfNs || a.Prefix == "xmlns" || a.Name == "xmlns");
                    if (empty) rdf.RemoveChild(description);
                }
            }

            var output = new MemoryStream();
            var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = new UTF8Encoding(false), Indent = true, IndentChars = " ", CloseOutput = false };
            using (var w = XmlWriter.Create(output, settings))
            {
                w.WriteProcessingInstruction("xpacket", "begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"");
                if (doc == null)
                {
                    w.WriteStartElement("x", "xmpmeta", MetaNs);
                    w.WriteAttributeString("x", "xmptk", MetaNs, CreatorTool);
                    w.WriteStartElement("rdf", "RDF", RdfNs);
                    WriteDescription(w, about, kept);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
                else
                {
                    // The document's root (x:xmpmeta, or a bare rdf:RDF) with everything it held, and our description last.
                    var root = doc.DocumentElement;
                    WriteCopy(w, root, rdf, () => WriteDescription(w, about, kept));
                }
                w.Flush();
            }
            // Padding lets other tools edit the packet in place, as the XMP specification recommends; kept small here.
            var padding = Encoding.ASCII.GetBytes("\n" + new string(' ', 99) + "\n" + new string(' ', 99) + "\n");
            output.Write(padding, 0, padding.Length);
            var end = Encoding.ASCII.GetBytes("<?xpacket end=\"w\"?>");
            output.Write(end, 0, end.Length);
            return output.ToArray();
        }

        private static bool IsOurs(string ns, string key) => ns == SeedreamNs || Replaced.Contains(key);

        private void WriteDescription(XmlWriter w, string about, HashSet<string> kept)
        {
            w.WriteStartElement("rdf", "Description", RdfNs);
            w.WriteAttributeString("rdf", "about", RdfNs, about ?? "");
            w.WriteAttributeString("xmlns", "Iptc4xmpExt", null, IptcExtNs);
            w.WriteAttributeString("xmlns", "xmp", null, XmpNs);
            w.WriteAttributeString("xmlns", "seedreamps", null, SeedreamNs);
            Simple(w, "Iptc4xmpExt", "DigitalSourceType", IptcExtNs, DigitalSourceType);
            // IPTC 2025.1's AI properties: which system made it, which version, and the prompt (only when asked).
            Simple(w, "Iptc4xmpExt", "AISystemUsed", IptcExtNs, "ByteDance Seedream");
            Simple(w, "Iptc4xmpExt", "AISystemVersionUsed", IptcExtNs, Model);
            Simple(w, "Iptc4xmpExt", "AIPromptInformation", IptcExtNs, Prompt);
            if (!kept.Contains(XmpNs + "CreatorTool")) Simple(w, "xmp", "CreatorTool", XmpNs, CreatorTool);
            if (!kept.Contains(XmpNs + "CreateDate") && CreatedAt.HasValue) Simple(w, "xmp", "CreateDate", XmpNs, Date(CreatedAt.Value));
            Simple(w, "xmp", "MetadataDate", XmpNs, Date(DateTimeOffset.UtcNow));
            Simple(w, "seedreamps", "Model", SeedreamNs, Model);
            Simple(w, "seedreamps", "Gateway", SeedreamNs, Gateway);
            Simple(w, "seedreamps", "TaskId", SeedreamNs, TaskId);
            Simple(w, "seedreamps", "ImageIndex", SeedreamNs, ImageIndex?.ToString(CultureInfo.InvariantCulture));
            if (Columns != null && Columns.Count > 0)
            {
                // Column names are arbitrary text, not XML names: each is a Name/Value structure in a bag.
                w.WriteStartElement("seedreamps", "Columns", SeedreamNs);
                w.WriteStartElement("rdf", "Bag", RdfNs);
                foreach (var pair in Columns)
                {
                    w.WriteStartElement("rdf", "li", RdfNs);
                    w.WriteAttributeString("rdf", "parseType", RdfNs, "Resource");
                    Simple(w, "seedreamps", "Name", SeedreamNs, pair.Key);
                    Simple(w, "seedreamps", "Value", SeedreamNs, pair.Value ?? "");
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }

        private static void Simple(XmlWriter w, string prefix, string name, string ns, string value)
        {
            if (value == null) return;
            w.WriteElementString(prefix, name, ns, Clean(value));
        }

        // XML 1.0 cannot carry most control characters, even escaped; a prompt or column could hold one.
        private static string Clean(string text)
        {
            if (text.All(XmlConvert.IsXmlChar)) return text;
            var b = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                if (XmlConvert.IsXmlChar(text[i])) b.Append(text[i]);
                else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) { b.Append(text[i]).Append(text[i + 1]); i++; }
                else b.Append(' ');
            }
            return b.ToString();
        }

        private static string Date(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        // Copies the existing packet's elements as they are, putting our description at the end of rdf:RDF.
        private static void WriteCopy(XmlWriter w, XmlElement element, XmlElement rdf, Action inside)
        {
            w.WriteStartElement(element.Prefix, element.LocalName, element.NamespaceURI);
            foreach (XmlAttribute attribute in element.Attributes) attribute.WriteTo(w);
            foreach (XmlNode child in element.ChildNodes)
            {
                if (child is XmlElement e && (e == rdf || e.GetElementsByTagName("RDF", RdfNs).OfType<XmlElement>().Contains(rdf))) WriteCopy(w, e, rdf, inside);
                else if (!(child is XmlWhitespace)) child.WriteTo(w);
            }
            if (element == rdf) inside();
            w.WriteEndElement();
        }

        // ---- Reading --------------------------------------------------------------------------------------------------

        internal static XmlDocument Parse(byte[] packet)
        {
            try
            {
                // No DTDs and no resolver: the packet comes from a file anyone may have made.
                var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = false };
                using (var reader = XmlReader.Create(new MemoryStream(packet), settings))
                {
                    var doc = new XmlDocument { XmlResolver = null, PreserveWhitespace = false };
                    doc.Load(reader);
                    return doc;
                }
            }
            catch (XmlException)
            {
                return null;
            }
        }

        /// <summary>What the XMP packet of the image at <paramref name="path"/> says; null when the file has no packet, or
        /// one without a digital source type or SeedreamPS properties.</summary>
        public static EmbeddedMetadata Read(string path)
        {
            byte[] packet;
            try
            {
                packet = XmpContainer.ReadPacket(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
            return packet == null ? null : FromPacket(packet);
        }

        /// <summary>What an XMP packet says (see <see cref="Read(string)"/>).</summary>
        public static EmbeddedMetadata FromPacket(byte[] packet)
        {
            var doc = Parse(packet);
            if (doc == null) return null;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var description in doc.GetElementsByTagName("Description", RdfNs).OfType<XmlElement>())
            {
                if (!(description.ParentNode is XmlElement parent) || parent.LocalName != "RDF" || parent.NamespaceURI != RdfNs) continue;
                foreach (XmlAttribute attribute in description.Attributes)
                {
                    if (attribute.NamespaceURI != RdfNs && attribute.Prefix != "xmlns") values[attribute.NamespaceURI + attribute.LocalName] = attribute.Value;
                }
                foreach (var property in description.ChildNodes.OfType<XmlElement>())
                {
                    string key = property.NamespaceURI + property.LocalName;
                    if (key == SeedreamNs + "Columns") ReadColumns(property, columns);
                    else if (!property.ChildNodes.OfType<XmlElement>().Any()) values[key] = property.InnerText;
                    else if (property.GetElementsByTagName("li", RdfNs).OfType<XmlElement>().FirstOrDefault() is XmlElement first) values[key] = first.InnerText;
                }
            }
            string Get(string key) => values.TryGetValue(key, out var v) ? v : null;
            string source = Get(IptcExtNs + "DigitalSourceType");
            string task = Get(SeedreamNs + "TaskId");
            if (source == null && task == null && Get(SeedreamNs + "Model") == null) return null;
            var metadata = new EmbeddedMetadata
            {
                DigitalSourceType = source,
                CreatorTool = Get(XmpNs + "CreatorTool"),
                Model = Get(SeedreamNs + "Model") ?? Get(IptcExtNs + "AISystemVersionUsed"),
                Gateway = Get(SeedreamNs + "Gateway"),
                TaskId = task,
                Prompt = Get(IptcExtNs + "AIPromptInformation"),
                Columns = columns,
            };
            if (int.TryParse(Get(SeedreamNs + "ImageIndex"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int index)) metadata.ImageIndex = index;
            if (DateTimeOffset.TryParse(Get(XmpNs + "CreateDate"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)) metadata.CreatedAt = created;
            return metadata;
        }

        private static void ReadColumns(XmlElement property, IDictionary<string, string> columns)
        {
            foreach (var item in property.GetElementsByTagName("li", RdfNs).OfType<XmlElement>())
            {
                // rdf:parseType="Resource", or a nested rdf:Description, with elements or attributes.
                var holder = item.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.NamespaceURI == RdfNs && e.LocalName == "Description") ?? item;
                string name = Field(holder, "Name"), value = Field(holder, "Value");
                if (name != null) columns[name] = value ?? "";
            }
        }

        private static string Field(XmlElement holder, string name)
        {
            var element = holder.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.NamespaceURI == SeedreamNs && e.LocalName == name);
            if (element != null) return element.InnerText;
            var attribute = holder.Attributes[name, SeedreamNs];
            return attribute?.Value;
        }
    }
}

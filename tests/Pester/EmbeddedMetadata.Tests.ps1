# Every saved PNG and JPEG says, inside the file, that it was made by AI and what made it; ExifTool (where installed)
# reads it as publishers do, and Get-SeedreamImageInfo reads it back from a file moved away from its journal.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0
    $exiftool = Get-Command exiftool -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $trained = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'

    function Get-ExifTag([string] $Path) {
        (& $exiftool.Source -j -G1 -XMP:all $Path | ConvertFrom-Json)[0]
    }
}

AfterAll { Stop-TestSession $sim }

Describe 'Embedded metadata' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
    }

    It 'marks the <Gateway> <Format> as AI-made, as ExifTool reads it' -TestCases @(
        @{ Gateway = 'EvoLink'; Format = 'png'; Uri = 'EvoLinkUri' }
        @{ Gateway = 'LinkModel'; Format = 'png'; Uri = 'LinkModelUri' }
        @{ Gateway = 'ModelArk'; Format = 'jpeg'; Uri = 'ModelArkUri' }
    ) {
        if (-not $exiftool) { Set-ItResult -Skipped -Because 'ExifTool is not installed (apt-get install libimage-exiftool-perl; .ci/run installs it)'; return }
        Connect-Seedream -Gateway $Gateway -ApiKey $sim.ApiKey -BaseUri $sim.$Uri -PollIntervalSec 0.1
        $out = New-TestFolder
        $file = [pscustomobject]@{ Name = 'hero'; Prompt = 'a confidential launch'; Campaign = 'spring' } |
            New-SeedreamImage | Save-SeedreamImage -Path $out -FileName '{Name}-{Index}{Ext}' -EmbedColumn Campaign
        $file.Extension | Should -Be ".$Format"
        $tags = Get-ExifTag $file.FullName
        $tags.'XMP-iptcExt:DigitalSourceType' | Should -Be $trained
        $tags.'XMP-xmp:CreatorTool' | Should -Be "SeedreamPS $((Get-Module SeedreamPS).Version)"
        $tags.'XMP-seedreamps:TaskId' | Should -Be $file.TaskId
        $tags.'XMP-seedreamps:Gateway' | Should -Be $Gateway
        $tags.'XMP-seedreamps:Model' | Should -Be $file.Model
        $tags.'XMP-seedreamps:ColumnsValue' | Should -Be 'spring'
        # The one-line check the README shows.
        & $exiftool.Source -s3 -XMP-iptcExt:DigitalSourceType $file.FullName | Should -Be $trained
        # No prompt unless asked, and never the key or the signed result URL.
        $text = [System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($file.FullName))
        $text | Should -Not -Match 'confidential launch'
        $text | Should -Not -Match ([regex]::Escape($sim.ApiKey))
        $text | Should -Not -Match ([regex]::Escape(([uri]$file.ImageUrl).Query.TrimStart('?')))
    }

    It 'writes the prompt only with -EmbedPrompt, and nothing with -NoEmbeddedMetadata' {
        Connect-TestGateway
        $out = New-TestFolder
        $task = New-SeedreamImage -Prompt 'a lighthouse <at> dusk & "fog"' -Wait
        $with = $task | Save-SeedreamImage -Path $out -FileName 'with.png' -EmbedPrompt
        $without = $task | Save-SeedreamImage -Path $out -FileName 'without.png' -NoEmbeddedMetadata
        (Get-SeedreamImageInfo -Path $with.FullName).DigitalSourceType | Should -Be $trained
        $with.DigitalSourceType | Should -Be $trained
        $without.DigitalSourceType | Should -BeNullOrEmpty
        $served = (Invoke-WebRequest -Uri $with.ImageUrl).Content
        [System.Linq.Enumerable]::SequenceEqual([byte[]][System.IO.File]::ReadAllBytes($without.FullName), [byte[]]$served) | Should -BeTrue
        $without.Length | Should -BeLessThan $with.Length
        if ($exiftool) {
            (Get-ExifTag $with.FullName).'XMP-iptcExt:AIPromptInformation' | Should -Be 'a lighthouse <at> dusk & "fog"'
            (Get-ExifTag $without.FullName).PSObject.Properties.Name | Should -Not -Contain 'XMP-iptcExt:DigitalSourceType'
        }
    }

    It 'tells what made a file moved to another folder, with no sidecar and no journal' {
        Connect-TestGateway -Gateway ModelArk
        $out = New-TestFolder
        $file = [pscustomobject]@{ Prompt = 'a fox'; Campaign = 'autumn'; Secret = 'internal' } |
            New-SeedreamImage | Save-SeedreamImage -Path $out -EmbedColumn Campaign
        $elsewhere = Join-Path (New-TestFolder) 'renamed.jpg'
        Move-Item $file.FullName $elsewhere
        # No sidecar, and the journal knows the file only under its old path.
        $info = Get-SeedreamImageInfo -Path $elsewhere
        $info.Source | Should -Be 'embedded'
        $info.TaskId | Should -Be $file.TaskId
        $info.Gateway | Should -Be 'ModelArk'
        $info.Model | Should -Be $file.Model
        $info.DigitalSourceType | Should -Be $trained
        $info.Campaign | Should -Be 'autumn'
        $info.PSObject.Properties.Name | Should -Not -Contain 'Secret'
        $info.Prompt | Should -BeNullOrEmpty
    }

    It 'shows each image''s label in the gallery' {
        Connect-TestGateway
        $out = New-TestFolder
        $task = New-SeedreamImage -Prompt 'a gallery' -Wait
        $files = @($task | Save-SeedreamImage -Path $out -FileName 'marked.png'; $task | Save-SeedreamImage -Path $out -FileName 'plain.png' -NoEmbeddedMetadata)
        $page = $files | Export-SeedreamGallery -Path (Join-Path $out 'index.html')
        $html = Get-Content $page.FullName -Raw
        $html | Should -Match 'AI-generated <small>\(IPTC trainedAlgorithmicMedia\)</small>'
        $html | Should -Match 'not marked in the file'
    }
}
